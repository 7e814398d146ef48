/** Canvas's "Paste JSON" developer-key configuration for Flagship (LTI 1.3, deep linking, AGS, NRPS). */
import type { ToolUrls } from "./tool-urls";

export const AGS_SCOPES = [
  "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
  "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
  "https://purl.imsglobal.org/spec/lti-ags/scope/score",
];
export const NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";

export function canvasConfig(urls: ToolUrls): Record<string, unknown> {
  const deepLinking = (placement: string) => ({
    placement,
    message_type: "LtiDeepLinkingRequest",
    target_link_uri: urls.deepLinking,
  });
  return {
    title: "Flagship",
    description: "Course tutor and autograder: lecture modules and graded exercises on releasing software reliably.",
    oidc_initiation_url: urls.login,
    target_link_uri: urls.launch,
    public_jwk_url: urls.jwks,
    scopes: [...AGS_SCOPES, NRPS_SCOPE],
    extensions: [
      {
        domain: new URL(urls.origin).host,
        platform: "canvas.instructure.com",
        privacy_level: "public",
        settings: {
          placements: [
            deepLinking("link_selection"),
            deepLinking("assignment_selection"),
            deepLinking("editor_button"),
          ],
        },
      },
    ],
    custom_fields: {},
  };
}
