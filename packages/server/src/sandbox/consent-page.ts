/**
 * The consent pages a person clicks in the sandbox: choose an account, see
 * what the app asks for, allow or deny. Plain HTML forms, so they work in a
 * popup, a full-page redirect and a browser test alike.
 */
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

export interface ConsentAccount {
  id: string;
  label: string;
  detail: string;
}

export interface ConsentScope {
  value: string;
  label: string;
  /** Shown as a checkbox the person may untick (Google's granular consent). */
  optional?: boolean;
}

export interface ConsentPageOptions {
  providerName: string;
  brandColor: string;
  appName: string;
  accounts: ConsentAccount[];
  scopes: ConsentScope[];
  /** The form posts here with the hidden fields, `account`, `scope` (ticked) and `decision` (allow|deny). */
  action: string;
  hidden: Record<string, string>;
  note?: string;
}

export function consentPage(options: ConsentPageOptions): Promise<HtmlEscapedString> | HtmlEscapedString {
  const hidden = Object.entries(options.hidden).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
  );
  const accounts = options.accounts.map(
    (account, index) => html`<label class="account"><input type="radio" name="account" value="${account.id}" ${
      index === 0 ? raw("checked") : ""
    } />
      <span><strong>${account.label}</strong><br /><small>${account.detail}</small></span></label>`,
  );
  const scopes = options.scopes.map((scope) =>
    scope.optional
      ? html`<li><label
          ><input type="checkbox" name="scope" value="${scope.value}" checked /> ${scope.label}</label></li>`
      : html`<li><input type="hidden" name="scope" value="${scope.value}" />${scope.label}</li>`,
  );
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.providerName} sandbox — sign in</title>
        <style>
          body { font: 15px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d1d1f; }
          main { max-width: 440px; margin: 32px auto; background: #fff; border-radius: 12px; padding: 24px 28px;
            box-shadow: 0 2px 12px #0002; }
          header { border-bottom: 4px solid ${options.brandColor}; margin-bottom: 16px; }
          .badge { font-size: 12px; background: #fff3c4; padding: 2px 8px; border-radius: 8px; }
          .account { display: flex; gap: 10px; align-items: flex-start; padding: 8px; border: 1px solid #ddd;
            border-radius: 8px; margin: 6px 0; cursor: pointer; }
          .actions { display: flex; gap: 12px; justify-content: flex-end; margin-top: 20px; }
          button { font: inherit; padding: 8px 18px; border-radius: 6px; border: 1px solid #888; background: #fff;
            cursor: pointer; }
          button[value="allow"] { background: ${options.brandColor}; color: #fff; border-color: ${options.brandColor}; }
        </style>
      </head>
      <body>
        <main>
          <header><h1>${options.providerName}</h1><p><span
            class="badge">Sandbox</span> ${options.appName} wants to access your account.</p></header>
          <form method="post" action="${options.action}">
            ${hidden}
            <fieldset>
              <legend>Choose an account</legend>
              ${accounts}
            </fieldset>
            <h2>${options.appName} will be able to:</h2>
            <ul>
              ${scopes}
            </ul>
            ${options.note ? html`<p><small>${options.note}</small></p>` : ""}
            <div class="actions">
              <button type="submit" name="decision" value="deny">Deny</button>
              <button type="submit" name="decision" value="allow">Allow</button>
            </div>
          </form>
        </main>
      </body>
    </html>`;
}
