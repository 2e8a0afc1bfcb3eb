import type { RunningFake } from "../support/fake-server.ts";

/** The texts of the DMs the Slack fake has posted to one Slack user, in the order it posted them. */
export async function dmsTo(slack: RunningFake, slackUserId: string): Promise<string[]> {
  const response = await fetch(`${slack.baseUrl}/_control/messages`);
  const { messages } = (await response.json()) as { messages: Array<{ recipient?: string; text?: string }> };
  return messages.filter((message) => message.recipient === slackUserId).map((message) => message.text ?? "");
}
