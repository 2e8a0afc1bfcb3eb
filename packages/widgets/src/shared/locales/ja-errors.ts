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
const linkExpired = "連携の手続きが時間切れになりました。もう一度お試しください。";
const codeRefused = "連携先から有効な認可コードが届きませんでした。もう一度やり直してください。";
const holdGone = "この Zoom ユーザーの仮押さえは解除されています。主催者をもう一度選んでください。";
const wrongServerUrl = "サーバーがこのリクエストに対応していません。サーバーの URL が正しいか確認してください。";

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
  internal_error: "サーバーでエラーが発生しました。しばらくしてからもう一度お試しください。",
  flow_unknown: linkRestart,
  flow_used: linkRestart,
  flow_expired: linkExpired,
  state_invalid: linkRestart,
  state_expired: linkExpired,
  state_replayed: "この連携はすでに完了しています。別のアカウントを連携する場合は、最初からやり直してください。",
  flow_browser_mismatch:
    "連携は、始めたときと同じブラウザで完了する必要があります。このブラウザでもう一度やり直してください。",
  consent_denied:
    "連携先でアクセスが許可されなかったため、連携できませんでした。もう一度連携し、連携先の画面でアクセスを許可してください。",
  provider_error: "連携先でサインインを完了できませんでした。しばらくしてからもう一度お試しください。",
  org_connection_missing: "組織でまだこのサービスと連携していません。先に管理者に連携を依頼してください。",
  connection_exists:
    "組織はすでにこのサービスの別のワークスペース（またはアカウント）と連携しています。先にその連携を解除してください。",
  account_already_linked: "このアカウントはすでに連携されています。",
  code_missing: codeRefused,
  code_invalid: codeRefused,
  google_workspace_required:
    "個人の Google アカウントは連携できません。会社の Google Workspace アカウント（仕事用のメールアドレス）でサインインしてください。",
  google_wrong_domain:
    "この Google アカウントは、組織で連携している Google Workspace とは別のドメインのものです。組織のドメインのアカウントでサインインしてください。",
  google_calendar_permission_missing:
    "Google カレンダーへのアクセスが許可されなかったため、連携できませんでした。もう一度連携し、Google の同意画面でカレンダーの2つの項目（予定の表示と編集、空き時間の表示）にチェックを入れてください。",
  microsoft_admin_required:
    "Microsoft 365 との連携には、組織の代理として同意できる管理者（グローバル管理者など）の権限が必要です。" +
    "管理者アカウントでサインインするか、Microsoft 365 の管理者に連携を依頼してください。",
  microsoft_tenant_mismatch:
    "承認した Microsoft 365 組織とは別の組織のアカウントでサインインしました。もう一度連携し、承認した組織のアカウントでサインインしてください。",
  microsoft_wrong_tenant:
    "このアカウントは、組織で連携している Microsoft 365 とは別の組織のものです。組織の職場アカウントでサインインしてください。",
  slack_wrong_workspace:
    "組織で連携しているものとは別の Slack ワークスペースにサインインしました。もう一度連携し、Slack の画面右上のメニューで組織のワークスペースを選んでください。",
  slack_guest_not_allowed:
    "ゲストの Slack アカウントは連携できません（面接の詳細をダイレクトメッセージで送るため）。フルメンバーのアカウントを連携するか、Slack のワークスペース管理者にフルメンバーへの変更を依頼してください。",
  slack_account_deactivated:
    "この Slack アカウントはワークスペースで無効化されています。有効なアカウントを連携するか、Slack のワークスペース管理者に再有効化を依頼してください。",
  slack_reconnect_required:
    "組織の Slack 連携が使えなくなっています（アプリが削除されたか、トークンが取り消されました）。管理者に Slack との再連携を依頼してから、アカウントを連携してください。",
  slack_workspace_install_required:
    "Tsunagu は Enterprise Grid 組織全体ではなく、1つのワークスペースにインストールします。もう一度連携し、Slack の画面でワークスペースを選んでください。",
  zoom_admin_required:
    "組織の Zoom 連携は、Zoom アカウントのオーナーまたは管理者だけが行えます。オーナーか管理者の Zoom ユーザーでサインインし直してもう一度連携するか、Zoom のオーナーか管理者に連携を依頼してください。",
  zoom_preapproval_required:
    "お使いの Zoom アカウントでは、管理者が事前承認したアプリしか追加できません。Zoom の管理者に Tsunagu の事前承認を依頼し、承認後にもう一度連携してください。",
  zoom_foreign_account:
    "この Zoom ユーザーは、組織で連携している Zoom アカウントに所属していません。Zoom からサインアウトし、組織の Zoom アカウントに所属するユーザーでサインインして、もう一度連携してください。" +
    "該当するユーザーがない場合は、Zoom の管理者に追加を依頼してください。",
  zoom_user_hosts_meetings:
    "この Zoom ユーザーは今後のミーティングの主催者になっているため、連携を解除できません。先にそれらのミーティングの主催者を別の Zoom ユーザーに変更してから、解除してください。",
  zoom_host_busy:
    "この Zoom ユーザーは、その時間帯に同時に主催できる上限までミーティングが入っています。別の主催者か別の時間帯を選んでください。",
  zoom_host_not_found: "この Zoom ユーザーは組織で連携されていません。再読み込みして別の主催者を選んでください。",
  zoom_host_unavailable:
    "この Zoom ユーザーはこのミーティングを主催できません（再連携が必要か、ベーシックユーザーで40分を超えるミーティングです）。別の主催者を選んでください。",
  zoom_host_unchanged: "この Zoom ユーザーはすでにこのミーティングの主催者です。",
  zoom_hold_not_found: holdGone,
  zoom_hold_lapsed: holdGone,
  zoom_meeting_not_found:
    "この Zoom ミーティングは、組織で連携している Zoom ユーザーのミーティングの中に見つかりません。",
  zoom_meeting_not_yours:
    "このミーティングの主催者を変更できるのは、管理者か、主催者の Zoom ユーザーを自分で連携している人だけです。",
  account_not_found: "このアカウントは見つかりません。すでに解除されている可能性があります。",
  account_not_active: "再連携が必要なアカウントは既定にできません。先に再連携してください。",
  connection_not_found: "組織はこのサービスと連携していません。すでに連携が解除されている可能性があります。",
  admin_required: "組織の連携を変更できるのは管理者だけです。",
  origin_not_allowed: "このページのアドレスは Tsunagu サーバーに登録されていません。管理者に連絡してください。",
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
  forbidden_role: "ポータルでの権限（ロール）では、この操作はできません。",
  provider_unavailable: "このサービスは現在利用できません。しばらくしてからもう一度お試しください。",
  needs_reauth: "このアカウントは、再連携するまで使えません。",
  check_not_supported: "このサービスでは連携の状態を確認できません。",
  invalid_request: requestUnreadable,
  invalid_body: requestUnreadable,
  payload_too_large: "リクエストが大きすぎます。",
  not_found: wrongServerUrl,
  method_not_allowed: wrongServerUrl,
  database_unavailable: "サーバーが現在データベースに接続できません。数秒後にもう一度お試しください。",
  server_busy: "サーバーが混み合っています。しばらくしてからもう一度お試しください。",
  bad_request: requestUnreadable,
  unauthorized: "サーバーがリクエストの認証情報を受け付けませんでした。ページを再読み込みしてください。",
  conflict: "ほかの操作で内容が変更されました。ページを再読み込みして、もう一度お試しください。",
  unsupported_media_type: requestUnreadable,
  unprocessable: requestUnreadable,
  error: "リクエストに失敗しました。もう一度お試しください。",
  idempotency_in_flight: "同じ面接の設定がまだ処理中です。少し待ってから、もう一度「確定する」を押してください。",
  idempotency_key_reused: "前回の操作とは内容が変わっています。ページを再読み込みして、もう一度設定してください。",
  calendar_account_missing:
    "予定を登録するカレンダーがありません。連携設定で Google カレンダーか Outlook カレンダーを連携してください。",
  calendar_needs_reauth: "予定を登録するカレンダーの再連携が必要です。連携設定で再連携してください。",
  provider_failed:
    "カレンダーまたは Zoom が処理を完了できなかったため、何も作成・変更されていません。しばらくしてからもう一度お試しください。",
  database_connection_lost:
    "処理の途中でサーバーがデータベースに接続できなくなったため、何も作成・変更されていません。もう一度お試しください。",
  interview_cancelled: "この面接はすでにキャンセルされているため、変更できません。",
  interview_busy: "この面接は別の変更を処理中です。ページを再読み込みしてから、もう一度お試しください。",
  interview_not_found: "この面接は見つかりません。削除されたか、別の組織のものです。",
  interviewer_unknown:
    "まだポータルから Tsunagu を使ったことのない面接官がいるため、連絡先がわかりません。その面接官に一度ポータルを開いてもらってから、もう一度お試しください。",
  interview_drifted:
    "カレンダーの予定か Zoom ミーティングが Tsunagu の外で変更されたため、変更しませんでした。ページを再読み込みして現在の内容を確認してください。",
  start_url_forbidden: "このミーティングを開始できるのは、主催者の Zoom ユーザーを連携している人だけです。",
};
