/**
 * A local HTTP server that checks requests the way Twilio's Messages API does (basic auth with the
 * account SID and auth token, a form body with To, From (or MessagingServiceSid) and Body) and answers like it: 201 with
 * the message resource, 401 for bad credentials, 400 with a Twilio error for a bad request.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const AUTH_TOKEN = 'local-auth-token';
/** Twilio's test number that is never a valid recipient (error 21211). */
export const INVALID_NUMBER = '+15005550001';

export interface SentSms {
  readonly to: string;
  readonly from: string;
  readonly body: string;
}

export interface TwilioServer {
  readonly baseUrl: string;
  /** Messages accepted (answered 201). */
  readonly messages: SentSms[];
  /** How many requests were refused, by status. */
  readonly refusals: number[];
  lastTo(number: string): SentSms;
  /** The 6-digit token in the newest message to `number`. */
  lastTokenTo(number: string): string;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startTwilioServer(): Promise<TwilioServer> {
  const messages: SentSms[] = [];
  const refusals: number[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
  const server = createServer(async (request, response) => {
    const answer = (status: number, json: object) => {
      if (status >= 300) refusals.push(status);
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    const body = await bodyOf(request);
    if (request.method !== 'POST' || request.url !== `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`) {
      return answer(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    }
    if (request.headers.authorization !== expectedAuth) {
      return answer(401, { code: 20003, message: 'Authenticate', status: 401 });
    }
    const form = new URLSearchParams(body);
    // The sender is a From number or id, or a Messaging Service's SID.
    const [to, from, text] = [form.get('To'), form.get('From') ?? form.get('MessagingServiceSid'), form.get('Body')];
    if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') || !to || !from || !text) {
      return answer(400, { code: 21604, message: "A 'To', 'From' and 'Body' parameter is required.", status: 400 });
    }
    if (to === INVALID_NUMBER) {
      return answer(400, { code: 21211, message: `The 'To' number ${to} is not a valid phone number.`, status: 400 });
    }
    messages.push({ to, from, body: text });
    answer(201, { sid: `SM${messages.length}`, account_sid: ACCOUNT_SID, to, from, body: text, status: 'queued' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const lastTo = (number: string): SentSms => {
    const found = messages.findLast((message) => message.to === number);
    if (found === undefined) throw new Error(`no SMS to ${number}`);
    return found;
  };
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    messages,
    refusals,
    lastTo,
    lastTokenTo(number) {
      const token = /\b([0-9]{6})\b/.exec(lastTo(number).body)?.[1];
      if (token === undefined) throw new Error(`no token in the SMS to ${number}`);
      return token;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
