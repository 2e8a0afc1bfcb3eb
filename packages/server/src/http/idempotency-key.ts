/**
 * The `Idempotency-Key` header of a POST that must not be done twice when the
 * portal retries it (a timeout, a dropped connection): any 1–255 visible
 * ASCII characters, per portal user.
 */
import { createHash } from "node:crypto";
import type { Context } from "hono";
import { z } from "zod";
import { badRequest } from "../errors.ts";

/** The header as the OpenAPI document describes it, saying what a retry would otherwise do twice. */
export function idempotencyKeyHeader(twice: string) {
  return z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/)
    .meta({
      description:
        "Any 1–255 visible ASCII characters: a retry with the same key and body answers what the first request " +
        `answered instead of ${twice}.`,
    });
}

const wellFormed = idempotencyKeyHeader("doing it twice");

/** The request's key; undefined without one; 400 `invalid_request` for a malformed one. */
export function idempotencyKeyOf(c: Context): string | undefined {
  const key = c.req.header("Idempotency-Key");
  if (key !== undefined && !wellFormed.safeParse(key).success)
    throw badRequest("invalid_request", "Idempotency-Key must be 1–255 visible ASCII characters.");
  return key;
}

/**
 * What a request with a key creates, named by the key: the same for the same portal user and key, another for any
 * other (the portal, the organisation and the user are part of it), so that the created row's primary key lets only
 * one of any number of requests with the key in, and a retry finds what the first made. 32 hex digits.
 */
export function idForKey(caller: { iss: string; org: string; sub: string }, key: string): string {
  return createHash("sha256")
    .update(JSON.stringify([caller.iss, caller.org, caller.sub, key]))
    .digest("hex")
    .slice(0, 32);
}

/**
 * `create` for a request with a key, whose row's primary key is the key's id (`idForKey`): when another request with
 * the key got in first (the primary key, or a check the first one's row now fails, refused this one), what `find`
 * answers of the first one's row; the refusal as it is when there is none.
 */
export async function createdOnce<T>(create: () => Promise<T>, find: () => Promise<T | undefined>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    const first = await find();
    if (first === undefined) throw error;
    return first;
  }
}
