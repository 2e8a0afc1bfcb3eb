/**
 * The package entry. Importing it registers nothing: each element has its own
 * `define` module (`@tsunagu/widgets/<element-name>`; the class alone, unregistered:
 * `@tsunagu/widgets/<element-name>.js`).
 */
export {
  ApiClientController,
  type ApiClientHost,
  type ApiRequestOptions,
  type ServerSource,
} from "./shared/api-client-controller.ts";
export {
  asApiError,
  type ClientErrorCode,
  clientErrorCodes,
  errorFromResponse,
  isAbortError,
  isRecord,
  parseErrorEnvelope,
  TsunaguApiError,
} from "./shared/api-error.ts";
export { type HostTokenClaims, readHostTokenClaims, tokenIdentity } from "./shared/host-token-claims.ts";
export {
  FormAssociated,
  type FormAssociatedState,
  type FormControl,
  type FormValueSource,
} from "./shared/form-associated.ts";
export {
  HostTokenController,
  type HostTokenControllerOptions,
  type HostTokenHost,
  type HostTokenProvider,
  type HostTokenSource,
} from "./shared/host-token-controller.ts";
export {
  type LocaleSource,
  LocalizeController,
  type LocalizeControllerOptions,
  type LocalizeHost,
  registerTranslation,
  type TranslationSource,
} from "./shared/localize-controller.ts";
export { type ProviderId, providerIds } from "./shared/provider-id.ts";
export { apiUrl, defaultTimeoutMs, type HttpMethod, requestJson, type TsunaguRequest } from "./shared/request.ts";
export { themeStyles } from "./shared/theme.ts";
export {
  buttonStyles,
  type ButtonOptions,
  type ButtonTone,
  renderButton,
  renderDismissButton,
} from "./shared/button.ts";
export { type BadgeTone, cardStyles, renderBadge, renderCardSkeleton, renderInlineError } from "./shared/card.ts";
export {
  DialogController,
  type DialogControllerOptions,
  type DialogHost,
  type DialogView,
  dialogStyles,
} from "./shared/dialog.ts";
export { type Toast, ToastController, type ToastTone } from "./shared/toast-controller.ts";
export { renderToastStack, type ToastStackView, toastStyles } from "./shared/toast-stack.ts";
export type {
  AccountStatus,
  ErrorMessages,
  Language,
  LaterTerms,
  LostFeature,
  StatusReason,
  TermArgs,
  TermKey,
  Terms,
  TranslatedErrorCode,
  Translation,
  ZoomHostReason,
} from "./shared/translation.ts";
export { TsunaguErrorEvent, type TsunaguErrorDetail } from "./events/tsunagu-error.ts";
export { TsunaguLinkedEvent, type TsunaguLinkedDetail } from "./events/tsunagu-linked.ts";
export { TsunaguTokenExpiredEvent, type TsunaguTokenExpiredDetail } from "./events/tsunagu-token-expired.ts";
export { TsunaguUnlinkedEvent, type TsunaguUnlinkedDetail } from "./events/tsunagu-unlinked.ts";
export { TsunaguUnlinkRequestEvent, type TsunaguUnlinkRequestDetail } from "./events/tsunagu-unlink-request.ts";
export { TsunaguZoomHostChangedEvent, type TsunaguZoomHostChangedDetail } from "./events/tsunagu-zoom-host-changed.ts";
export {
  TsunaguInterviewScheduledEvent,
  type TsunaguInterviewScheduledDetail,
} from "./events/tsunagu-interview-scheduled.ts";
export {
  TsunaguInterviewUpdatedEvent,
  type TsunaguInterviewUpdatedDetail,
} from "./events/tsunagu-interview-updated.ts";
export {
  TsunaguInterviewCancelledEvent,
  type TsunaguInterviewCancelledDetail,
} from "./events/tsunagu-interview-cancelled.ts";
export { IntegrationAccounts } from "./integration-accounts/integration-accounts.ts";
export type {
  Account,
  AccountsAnswer,
  Connection,
  LinkPurpose,
  ProviderOffer,
} from "./integration-accounts/accounts-api.ts";
export { ZoomHostPicker } from "./zoom-host-picker/zoom-host-picker.ts";
export type {
  ZoomHostCandidate,
  ZoomHostPick,
  ZoomHostsAnswer,
  ZoomHostsQuery,
} from "./zoom-host-picker/zoom-hosts-api.ts";
export { ScheduleInterview } from "./schedule-interview/schedule-interview.ts";
export type {
  AvailabilityAnswer,
  BookingBody,
  CandidateInput,
  ChangeBody,
  Interviewer,
  InterviewView,
  RenderedMessage,
} from "./schedule-interview/interviews-api.ts";
