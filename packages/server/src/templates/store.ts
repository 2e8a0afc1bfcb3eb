/**
 * The organisation's message templates (`message_templates`): one a key and
 * language. Writes check the tags first, so a stored template never names a
 * tag that does not exist; every change is audited.
 */
import { writeAudit } from "../accounts/audit.ts";
import type { Clock } from "../clock.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope, UserScope } from "../store/tenancy.ts";
import { type TemplateLanguage, templateTagsUsed } from "./render.ts";

export interface MessageTemplate {
  key: string;
  language: TemplateLanguage;
  name: string;
  subject: string | null;
  body: string;
  updatedBy: string;
  updatedAt: string;
}

export interface TemplateInput {
  name: string;
  subject: string | null;
  body: string;
}

type Row = {
  key: string;
  language: TemplateLanguage;
  name: string;
  subject: string | null;
  body: string;
  updated_by: string;
  updated_at: string;
};

const view = (row: Row): MessageTemplate => ({
  key: row.key,
  language: row.language,
  name: row.name,
  subject: row.subject,
  body: row.body,
  updatedBy: row.updated_by,
  updatedAt: row.updated_at,
});

export async function listTemplates(db: DB, tenant: OrgScope): Promise<MessageTemplate[]> {
  const rows = await db
    .selectFrom("message_templates")
    .select(["key", "language", "name", "subject", "body", "updated_by", "updated_at"])
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .orderBy("key")
    .orderBy("language")
    .execute();
  return rows.map(view);
}

export async function findTemplate(
  db: DB,
  tenant: OrgScope,
  key: string,
  language: TemplateLanguage,
): Promise<MessageTemplate | undefined> {
  const row = await db
    .selectFrom("message_templates")
    .select(["key", "language", "name", "subject", "body", "updated_by", "updated_at"])
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("key", "=", key)
    .where("language", "=", language)
    .executeTakeFirst();
  return row && view(row);
}

/** Creates or replaces one template; throws TemplateError (before writing) when its tags are wrong. */
export async function saveTemplate(
  db: DB,
  clock: Clock,
  actor: UserScope,
  key: string,
  language: TemplateLanguage,
  input: TemplateInput,
): Promise<MessageTemplate> {
  templateTagsUsed(input.subject ?? "");
  templateTagsUsed(input.body);
  const fields = {
    name: input.name,
    subject: input.subject,
    body: input.body,
    updated_by: actor.userId,
    updated_at: clock.now().toISOString(),
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("message_templates")
      .values({ host_id: actor.hostId, org_id: actor.orgId, key, language, ...fields })
      .onConflict((conflict) => conflict.columns(["host_id", "org_id", "key", "language"]).doUpdateSet(fields))
      .execute();
    await writeAudit(trx, clock, {
      scope: actor,
      actorUserId: actor.userId,
      action: "template.saved",
      target: key,
      detail: { key, language },
    });
  });
  return {
    key,
    language,
    name: fields.name,
    subject: fields.subject,
    body: fields.body,
    updatedBy: fields.updated_by,
    updatedAt: fields.updated_at,
  };
}

/** True when there was such a template. */
export async function deleteTemplate(
  db: DB,
  clock: Clock,
  actor: UserScope,
  key: string,
  language: TemplateLanguage,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .deleteFrom("message_templates")
      .where("host_id", "=", actor.hostId)
      .where("org_id", "=", actor.orgId)
      .where("key", "=", key)
      .where("language", "=", language)
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows) > 0;
    if (deleted)
      await writeAudit(trx, clock, {
        scope: actor,
        actorUserId: actor.userId,
        action: "template.deleted",
        target: key,
        detail: { key, language },
      });
    return deleted;
  });
}
