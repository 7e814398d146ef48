/** The addresses an LMS needs from Flagship, as seen by the request (behind a proxy, TRUST_PROXY makes them https). */
import type { Request } from "express";

export interface ToolUrls {
  origin: string;
  login: string;
  launch: string;
  deepLinking: string;
  jwks: string;
  canvasConfig: string;
}

export function toolUrls(req: Request): ToolUrls {
  const origin = `${req.protocol}://${req.get("host") ?? "localhost"}`;
  return {
    origin,
    login: `${origin}/lti/login`,
    launch: `${origin}/lti/launch`,
    // Deep-linking requests are posted to the same redirect URI; Flagship tells them apart by message type.
    deepLinking: `${origin}/lti/launch`,
    jwks: `${origin}/lti/jwks`,
    canvasConfig: `${origin}/lti/canvas.json`,
  };
}
