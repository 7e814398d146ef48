/**
 * The LTI 1.3 claims Flagship reads from a launch's id_token, as zod schemas: a missing or malformed
 * claim is refused with its full claim name, so the page can say exactly what the LMS left out.
 */
import { z } from "zod";
import type { Role } from "../users/users";

export const CLAIM = {
  messageType: "https://purl.imsglobal.org/spec/lti/claim/message_type",
  version: "https://purl.imsglobal.org/spec/lti/claim/version",
  deploymentId: "https://purl.imsglobal.org/spec/lti/claim/deployment_id",
  targetLinkUri: "https://purl.imsglobal.org/spec/lti/claim/target_link_uri",
  resourceLink: "https://purl.imsglobal.org/spec/lti/claim/resource_link",
  roles: "https://purl.imsglobal.org/spec/lti/claim/roles",
  context: "https://purl.imsglobal.org/spec/lti/claim/context",
  custom: "https://purl.imsglobal.org/spec/lti/claim/custom",
  ags: "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint",
  nrps: "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice",
  deepLinkingSettings: "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings",
  contentItems: "https://purl.imsglobal.org/spec/lti-dl/claim/content_items",
  data: "https://purl.imsglobal.org/spec/lti-dl/claim/data",
} as const;

export const MESSAGE_TYPES = ["LtiResourceLinkRequest", "LtiDeepLinkingRequest"] as const;

const common = z.object({
  sub: z.string().min(1, "must not be empty").max(255),
  nonce: z.string().min(1),
  name: z.string().max(255).optional(),
  given_name: z.string().max(255).optional(),
  family_name: z.string().max(255).optional(),
  email: z.string().max(254).optional(),
  [CLAIM.deploymentId]: z.string().min(1).max(255),
  [CLAIM.targetLinkUri]: z.string().min(1).max(2048),
  [CLAIM.roles]: z.array(z.string().max(512)),
  [CLAIM.context]: z.object({ id: z.string().min(1).max(255), title: z.string().max(255).optional() }).optional(),
  [CLAIM.custom]: z.record(z.string(), z.unknown()).optional(),
  [CLAIM.ags]: z
    .object({
      scope: z.array(z.string()).default([]),
      lineitems: z.string().url().optional(),
      lineitem: z.string().url().optional(),
    })
    .optional(),
  [CLAIM.nrps]: z.object({ context_memberships_url: z.string().url() }).optional(),
});

export const resourceLinkClaims = common.extend({
  [CLAIM.messageType]: z.literal("LtiResourceLinkRequest"),
  [CLAIM.resourceLink]: z.object({ id: z.string().min(1).max(255), title: z.string().max(255).optional() }),
});

export const deepLinkingClaims = common.extend({
  [CLAIM.messageType]: z.literal("LtiDeepLinkingRequest"),
  [CLAIM.deepLinkingSettings]: z.object({
    deep_link_return_url: z.string().url(),
    accept_types: z.array(z.string()),
    accept_multiple: z.boolean().optional(),
    data: z.string().max(4096).optional(),
  }),
});

export type ResourceLinkClaims = z.infer<typeof resourceLinkClaims>;
export type DeepLinkingClaims = z.infer<typeof deepLinkingClaims>;
export type LaunchClaims = ResourceLinkClaims | DeepLinkingClaims;
/** Either kind, for claims read back from the database after a launch verified them. */
export const launchClaims: z.ZodType<LaunchClaims> = z.union([resourceLinkClaims, deepLinkingClaims]);

const membership = "http://purl.imsglobal.org/vocab/lis/v2/membership";

/**
 * Course roles only (institution roles say nothing about this course). A teaching assistant is a
 * sub-role of Instructor (`membership/Instructor#TeachingAssistant`), so it is looked for first.
 */
export function mapRoles(roles: readonly string[]): Role {
  const has = (name: string) =>
    roles.some(
      (r) =>
        r === name ||
        r === `${membership}#${name}` ||
        r === `${membership}/Instructor#${name}` ||
        r === `${membership}/${name}`,
    );
  if (has("TeachingAssistant")) return "ta";
  if (has("Instructor") || has("Administrator") || has("ContentDeveloper")) return "instructor";
  return "student";
}

export function isDeepLinking(claims: LaunchClaims): claims is DeepLinkingClaims {
  return claims[CLAIM.messageType] === "LtiDeepLinkingRequest";
}
