/**
 * Requests Node's HTTP parser refuses before the app sees them (headers past its 16 KB limit, such as a host token
 * grown too large; a malformed request line; a request that never finished arriving) are answered with the error
 * envelope every other refusal has, not Node's status line with an empty body, which a portal's `await
 * response.json()` cannot read. Mirrors Node's own default (node:_http_server `socketOnError`): it answers only a
 * socket that has written nothing yet, then destroys it.
 */
import type { Duplex } from "node:stream";
import { errorBody } from "../errors.ts";

const refusals: Record<string, { status: number; reason: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: "Request Header Fields Too Large",
    message: "The request's headers are larger than the 16 KB the server reads; a host token is far smaller.",
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: "Request Timeout",
    message: "The request did not arrive in time.",
  },
};
const malformed = { status: 400, reason: "Bad Request", message: "The request is not valid HTTP/1.1." };

/** The `clientError` listener of the server (main.ts). */
export function answerClientError(error: Error & { code?: string }, socket: Duplex & { bytesWritten?: number }): void {
  if (socket.writable && !socket.bytesWritten) {
    const { status, reason, message } = refusals[error.code ?? ""] ?? malformed;
    const body = JSON.stringify(errorBody("invalid_request", message));
    const head = `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\n`;
    socket.write(`${head}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
