import type { ErrorMessages } from "../translation.ts";

/**
 * Error messages several codes share: the person reads what to do, which is the same for each of them; the code
 * itself reaches the portal in the `tsunagu-error` event and the request ID names the request in the server's logs.
 */
const portalTokenRefused =
  "ポータルのホストトークンを、このサーバーでは受け付けられませんでした。管理者に連絡してください。";
const linkRestart = "この連携用リンクは使えません。連携設定からもう一度やり直してください。";
const pageNotRegistered = "このページのアドレスは、連携に使う場所として登録されていません。管理者に連絡してください。";
const requestUnreadable = "リクエストを読み取れませんでした。ページを再読み込みして、もう一度お試しください。";
const linkExpired = "連携の有効期限が切れました。もう一度お試しください。";
const codeRefused = "連携先から有効な認可コードが届きませんでした。もう一度やり直してください。";
const holdGone = "この Zoom ユーザーの仮押さえはもうありません。主催者をもう一度選んでください。";
const wrongServerUrl = "サーバーはこのリクエストに応えられません。サーバーの URL が間違っている可能性があります。";

/**
 * The messages for error codes in 日本語: a chunk of their own, loaded the first
 * time an element shows an error (see `LocalizeController.errorMessage`).
 */
export const jaErrors: ErrorMessages = {
  network_error: "Tsunagu サーバーに接続できませんでした。ネットワークを確認して、もう一度お試しください。",
  timeout: "Tsunagu サーバーから時間内に応答がありませんでした。もう一度お試しください。",
  invalid_response: "Tsunagu サーバーから予期しない応答がありました。",
  server_missing: "Tsunagu サーバーの URL が設定されていません（server 属性）。",
  token_missing: "ホストトークンが設定されていません（token または tokenProvider）。",
  token_unavailable: "ポータルからホストトークンを取得できませんでした。",
  token_expired: "セッションの有効期限が切れました。ページを再読み込みしてください。",
  token_signature: portalTokenRefused,
  forbidden: "この操作を行う権限がありません。",
  rate_limited: "リクエストが多すぎます。しばらくしてからもう一度お試しください。",
  internal_error: "サーバーでエラーが発生しました。",
  flow_unknown: linkRestart,
  flow_used: linkRestart,
  flow_expired: linkExpired,
  state_invalid: linkRestart,
  state_expired: linkExpired,
  state_replayed: "この連携はすでに完了しています。別のアカウントを連携する場合は、もう一度始めてください。",
  flow_browser_mismatch:
    "連携は、始めたときと同じブラウザで完了する必要があります。このブラウザでもう一度やり直してください。",
  consent_denied:
    "連携先でアクセスが許可されなかったため、何も連携されていません。もう一度始めて、連携先の画面でアクセスを許可してください。",
  provider_error: "連携先でサインインを完了できませんでした。しばらくしてからもう一度お試しください。",
  org_connection_missing: "組織がまだこのサービスに接続していません。先に管理者に接続を依頼してください。",
  connection_exists:
    "組織はすでにこのサービスの別のワークスペース（またはアカウント）に接続しています。先に接続を解除してください。",
  account_already_linked: "このアカウントはすでに連携されています。",
  code_missing: codeRefused,
  code_invalid: codeRefused,
  google_workspace_required:
    "個人の Google アカウントは連携できません。会社の Google Workspace アカウント（仕事用のメールアドレス）でサインインしてください。",
  google_wrong_domain:
    "この Google アカウントは、組織が接続した Google Workspace とは別のドメインのものです。組織のドメインのアカウントでサインインしてください。",
  google_calendar_permission_missing:
    "Google カレンダーへのアクセスが許可されなかったため、何も連携されていません。もう一度連携し、Google の同意画面でカレンダーの2つのチェックボックス（予定の表示と編集、空き時間の表示）をオンにしてください。",
  microsoft_admin_required:
    "Microsoft 365 の接続には、組織全体への承認ができる Microsoft 365 の管理者（グローバル管理者など）が必要です。管理者アカウントでサインインするか、Microsoft 365 " +
    "の管理者に接続を依頼してください。",
  microsoft_tenant_mismatch:
    "承認した Microsoft 365 組織とは別の組織のアカウントでサインインしました。もう一度接続し、承認した組織のアカウントでサインインしてください。",
  microsoft_wrong_tenant:
    "このアカウントは、組織が接続した Microsoft 365 とは別の組織のものです。組織の職場アカウントでサインインしてください。",
  slack_wrong_workspace:
    "組織が接続したものとは別の Slack ワークスペースにサインインしました。もう一度連携し、Slack の画面右上のメニューで組織のワークスペースを選んでください。",
  slack_guest_not_allowed:
    "ゲストの Slack アカウントは連携できません（面接の詳細をダイレクトメッセージで送るため）。正規メンバーのアカウントを連携するか、Slack のワークスペース管理者に正規メンバーへの変更を依頼してください。",
  slack_account_deactivated:
    "この Slack アカウントはワークスペースで無効化されています。有効なアカウントを連携するか、Slack のワークスペース管理者に再有効化を依頼してください。",
  slack_reconnect_required:
    "組織の Slack 接続が使えなくなっています（アプリが削除されたか、トークンが取り消されました）。管理者に Slack の再接続を依頼してから、アカウントを連携してください。",
  slack_workspace_install_required:
    "Tsunagu は Enterprise Grid 組織全体ではなく、1つのワークスペースにインストールします。もう一度始め、Slack の画面でワークスペースを選んでください。",
  zoom_admin_required:
    "組織の Zoom 接続は、Zoom アカウントのオーナーまたは管理者だけが行えます。該当する場合はその Zoom ユーザーでサインインし直してもう一度接続し、そうでなければ Zoom のオーナーか管理者に依頼してください。",
  zoom_preapproval_required:
    "お使いの Zoom アカウントでは、管理者が事前承認したアプリしか追加できません。Zoom の管理者に Tsunagu の事前承認を依頼し、承認後にもう一度連携してください。",
  zoom_foreign_account:
    "この Zoom ユーザーは、組織が接続したものとは別の Zoom アカウントに属しています。Zoom からサインアウトし、組織の Zoom アカウントのユーザーでサインインしてもう一度連携してください。" +
    "ユーザーがない場合は Zoom の管理者に追加を依頼してください。",
  zoom_user_hosts_meetings:
    "この Zoom ユーザーは今後のミーティングの主催者になっているため、連携を解除できません。先に Zoom で主催者を変更するか、別の Zoom ユーザーで面接を再調整してから解除してください。",
  zoom_host_busy:
    "この Zoom ユーザーには、その時間帯に同時に主催できる数のミーティングがすでに入っています。別の主催者か別の時間を選んでください。",
  zoom_host_not_found: "この Zoom ユーザーは組織で連携されていません。再読み込みして別の主催者を選んでください。",
  zoom_host_unavailable:
    "この Zoom ユーザーはこのミーティングを開催できません（再連携が必要か、ベーシックユーザーで40分を超えるミーティングです）。別の主催者を選んでください。",
  zoom_host_unchanged: "この Zoom ユーザーはすでにこのミーティングの主催者です。",
  zoom_hold_not_found: holdGone,
  zoom_hold_lapsed: holdGone,
  zoom_meeting_not_found:
    "この Zoom ミーティングは、組織で連携している Zoom ユーザーのミーティングの中に見つかりません。",
  account_not_found: "このアカウントは見つかりません。すでに解除されている可能性があります。",
  account_not_active: "再連携が必要なアカウントは既定にできません。先にもう一度連携してください。",
  connection_not_found: "組織はこのサービスに接続していません。すでに解除されている可能性があります。",
  admin_required: "組織の接続を変更できるのは管理者だけです。",
  origin_not_allowed: pageNotRegistered,
  purpose_unsupported: "このサービスでは、この種類の連携はできません。",
  return_url_invalid: pageNotRegistered,
  begin_not_from_portal: linkRestart,
  begin_secret_invalid: linkRestart,
  signin_disabled: "組織では、このサービスでのサインインが無効になっています。別の方法でサインインしてください。",
  signin_email_mismatch:
    "サインインしたアカウントのメールアドレスが、サインイン先のアカウントと一致しません。同じメールアドレスのアカウントでサインインするか、別の方法でサインインしてください。",
  signin_email_unverified:
    "このアカウントのメールアドレスはサービス側で確認されていないため、本人確認ができません。サービス側でアドレスを確認するか、別の方法でサインインしてください。",
  signin_id_token_invalid:
    "サービスからの応答を、このサインインのものとして確認できませんでした。もう一度サインインしてください。",
  token_malformed: portalTokenRefused,
  token_algorithm: portalTokenRefused,
  token_type: portalTokenRefused,
  token_audience: portalTokenRefused,
  token_not_yet_valid:
    "ポータルのホストトークンはまだ有効になっていません（時計がずれている可能性があります）。しばらくしてからページを再読み込みしてください。",
  token_claims: portalTokenRefused,
  token_lifetime: portalTokenRefused,
  unknown_host: portalTokenRefused,
  host_keys_unavailable: "サーバーがポータルの署名鍵を取得できませんでした。しばらくしてからもう一度お試しください。",
  forbidden_role: "ポータルでのあなたの役割では、この操作はできません。",
  provider_unavailable: "このサービスは現在利用できません。しばらくしてからもう一度お試しください。",
  needs_reauth: "このアカウントは、使う前にもう一度連携する必要があります。",
  check_not_supported: "このサービスには接続を確認する方法がありません。",
  invalid_request: requestUnreadable,
  invalid_body: requestUnreadable,
  payload_too_large: "リクエストが大きすぎます。",
  not_found: wrongServerUrl,
  method_not_allowed: wrongServerUrl,
  database_unavailable: "サーバーが現在データベースに接続できません。数秒後にもう一度お試しください。",
  server_busy: "サーバーが混み合っています。しばらくしてからもう一度お試しください。",
  bad_request: requestUnreadable,
  unauthorized: "サーバーがリクエストの認証情報を受け付けませんでした。ページを再読み込みしてください。",
  conflict: "その間に内容が変わりました。ページを再読み込みして、もう一度お試しください。",
  unsupported_media_type: requestUnreadable,
  unprocessable: requestUnreadable,
  error: "リクエストが失敗しました。もう一度お試しください。",
  idempotency_in_flight: "同じ面接の設定がまだ処理中です。少し待ってから、もう一度「確定する」を押してください。",
  idempotency_key_reused: "前回の試行とは内容が変わっています。ページを再読み込みして、もう一度設定してください。",
  calendar_account_missing:
    "予定を登録するカレンダーがありません。連携設定で Google カレンダーか Outlook の予定表を連携してください。",
  calendar_needs_reauth: "予定を登録するカレンダーの再連携が必要です。連携設定でもう一度連携してください。",
  provider_failed:
    "カレンダーまたは Zoom が処理を完了できなかったため、何も作成・変更されていません。しばらくしてからもう一度お試しください。",
  interview_cancelled: "この面接はすでにキャンセルされているため、変更できません。",
  interview_busy: "この面接は別の変更を処理中です。ページを再読み込みしてから、もう一度お試しください。",
  interview_not_found: "この面接は見つかりません。削除されたか、別の組織のものです。",
  interviewer_unknown:
    "まだポータルから Tsunagu を使ったことのない面接官がいるため、連絡先がわかりません。その面接官に一度ポータルを開いてもらってから、もう一度お試しください。",
  interview_drifted:
    "カレンダーの予定か Zoom ミーティングが Tsunagu の外で変更されたため、変更しませんでした。ページを再読み込みして現在の内容を確認してください。",
  start_url_forbidden: "このミーティングを開始できるのは、主催者の Zoom ユーザーを連携している人だけです。",
};
