import type { Request } from 'express';

/** Who asked: the client address and user agent events carry. */
export function requestInfo(req: Request): { ip: string | null; userAgent: string | null } {
  const agent = req.get('user-agent');
  return { ip: req.ip ?? null, userAgent: agent === undefined ? null : agent.slice(0, 512) };
}
