/**
 * A fake LMS for LTI tests: a real express server on a free port with its own RS256 key, serving its
 * JWKS, an OIDC authorization endpoint that signs id_tokens with jose (and can be told to produce a
 * defect), a client-credentials token endpoint that verifies the tool's signed assertion against the
 * tool's /lti/jwks, and AGS and NRPS endpoints that record what they receive and can be switched down.
 */
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import {
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from "jose";

export type Defect =
  | "bad-signature"
  | "wrong-audience"
  | "expired"
  | "unknown-deployment"
  | "missing-claims"
  | "wrong-nonce"
  | "wrong-version";

export interface PlatformUser {
  sub: string;
  name: string;
  email: string;
  roles: string[];
  /** NRPS status; absent from the roster altogether when `left`. */
  status?: "Active" | "Inactive";
  left?: boolean;
}

export interface PlatformLink {
  kind: "resource" | "deep-linking";
  id: string;
  title?: string;
  custom?: Record<string, string>;
  /** The line item the platform made for this link (as after deep linking). */
  lineitem?: string;
  targetLinkUri?: string;
}

export interface RecordedScore {
  lineitem: string;
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  gradingProgress: string;
  activityProgress: string;
  timestamp: string;
}

export interface LineItem {
  id: string;
  label: string;
  scoreMaximum: number;
  resourceId?: string;
  resourceLinkId?: string;
  tag?: string;
}

export const ROLE = {
  learner: "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
  instructor: "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
  ta: "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant",
};

const LTI = "https://purl.imsglobal.org/spec/lti/claim/";

export class FakePlatform {
  readonly clientId = "flagship-client";
  readonly deploymentId = "deployment-1";
  readonly contextId = "course-1";
  /** Set once the tool listens: its JWKS verifies client assertions and deep-linking responses. */
  toolJwksUrl = "";
  defect: Defect | undefined;
  down = false;
  users = new Map<string, PlatformUser>();
  links = new Map<string, PlatformLink>();
  lineItems: LineItem[] = [];
  scores: RecordedScore[] = [];
  tokenRequests: Array<{ scope: string; clientId: string }> = [];
  deepLinkResponses: JWTPayload[] = [];
  nrpsPages = 0;
  /** Requests refused while down. */
  refusedWhileDown = 0;
  pageSize = 2;

  private server!: Server;
  private key!: CryptoKey;
  private rogueKey!: CryptoKey;
  private publicJwk!: JWK;
  private tokens = new Set<string>();
  url = "";

  get issuer(): string {
    return this.url;
  }

  get registration() {
    return {
      issuer: this.issuer,
      clientId: this.clientId,
      name: "Fake LMS",
      authUrl: `${this.url}/auth`,
      tokenUrl: `${this.url}/token`,
      jwksUrl: `${this.url}/jwks`,
      lmsOrigin: "",
      deploymentIds: [this.deploymentId],
    };
  }

  static async start(host = "127.0.0.1"): Promise<FakePlatform> {
    const p = new FakePlatform();
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    p.key = privateKey;
    p.rogueKey = (await generateKeyPair("RS256")).privateKey;
    p.publicJwk = { ...(await exportJWK(publicKey)), kid: "platform-key", alg: "RS256", use: "sig" };
    const app = p.routes();
    await new Promise<void>((resolve) => {
      p.server = app.listen(0, "127.0.0.1", () => resolve());
    });
    p.url = `http://${host}:${(p.server.address() as AddressInfo).port}`;
    return p;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  /** The login initiation an LMS would send to the tool for one user and one link. */
  loginQuery(userHint: string, linkHint: string, toolUrl: string): string {
    const link = this.links.get(linkHint);
    return new URLSearchParams({
      iss: this.issuer,
      login_hint: userHint,
      target_link_uri: link?.targetLinkUri ?? `${toolUrl}/lti/launch`,
      lti_message_hint: linkHint,
      client_id: this.clientId,
      lti_deployment_id: this.deploymentId,
    }).toString();
  }

  lineitemsUrl(): string {
    return `${this.url}/ags/${this.contextId}/lineitems`;
  }

  /** Signs the id_token the authorization endpoint posts back, with the current defect, if any. */
  async idToken(query: Record<string, string>): Promise<string> {
    const user = this.users.get(query.login_hint ?? "");
    const link = this.links.get(query.lti_message_hint ?? "");
    if (!user || !link)
      throw new Error(
        `fake platform: unknown login_hint ${query.login_hint} or lti_message_hint ${query.lti_message_hint}`,
      );
    const defect = this.defect;
    const claims: JWTPayload = {
      nonce: defect === "wrong-nonce" ? "not-the-nonce" : query.nonce,
      name: user.name,
      email: user.email,
      [`${LTI}message_type`]: link.kind === "deep-linking" ? "LtiDeepLinkingRequest" : "LtiResourceLinkRequest",
      [`${LTI}version`]: defect === "wrong-version" ? "1.1" : "1.3.0",
      [`${LTI}deployment_id`]: defect === "unknown-deployment" ? "deployment-nobody-registered" : this.deploymentId,
      [`${LTI}target_link_uri`]: link.targetLinkUri ?? query.redirect_uri,
      [`${LTI}roles`]: user.roles,
      [`${LTI}context`]: { id: this.contextId, title: "Releasing Software 101" },
      "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
        scope: [
          "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
          "https://purl.imsglobal.org/spec/lti-ags/scope/score",
        ],
        lineitems: this.lineitemsUrl(),
        ...(link.lineitem ? { lineitem: link.lineitem } : {}),
      },
      "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
        context_memberships_url: `${this.url}/nrps/${this.contextId}/memberships`,
        service_versions: ["2.0"],
      },
    };
    if (link.kind === "resource") {
      claims[`${LTI}resource_link`] = { id: link.id, title: link.title ?? link.id };
      if (link.custom) claims[`${LTI}custom`] = link.custom;
    } else {
      claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
        deep_link_return_url: `${this.url}/deep-link-return`,
        accept_types: ["ltiResourceLink"],
        accept_presentation_document_targets: ["iframe", "window"],
        accept_multiple: true,
        data: "opaque-platform-data",
      };
    }
    if (defect === "missing-claims") {
      delete claims[`${LTI}roles`];
      delete claims[`${LTI}resource_link`];
    }
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: "platform-key" })
      .setIssuer(this.issuer)
      .setSubject(user.sub)
      .setAudience(defect === "wrong-audience" ? "someone-else" : this.clientId)
      .setIssuedAt(defect === "expired" ? now - 7200 : now)
      .setExpirationTime(defect === "expired" ? now - 3600 : now + 300);
    return jwt.sign(defect === "bad-signature" ? this.rogueKey : this.key);
  }

  private routes(): express.Express {
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.use(express.json({ type: ["application/json", "application/*+json"] }));

    app.get("/jwks", (_req, res) => res.json({ keys: [this.publicJwk] }));

    // A course page of the LMS that shows the tool in an iframe, as Canvas and Moodle do.
    app.get("/course-page", (req, res) => {
      const src = (typeof req.query.src === "string" ? req.query.src : "").replace(/"/g, "&quot;");
      res.type("html").send(`<!doctype html><html><head><title>Fake LMS course</title></head><body>
<h1>Releasing Software 101</h1>
<iframe id="tool" title="Flagship" src="${src}" width="1000" height="700"></iframe>
</body></html>`);
    });

    // OIDC authorization: answers with the auto-posting form a real LMS sends back to the tool.
    app.get("/auth", async (req, res) => {
      const query = Object.fromEntries(
        Object.entries(req.query).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
      );
      if (query.client_id !== this.clientId || query.response_mode !== "form_post" || query.scope !== "openid") {
        return res.status(400).send("bad authorization request");
      }
      const idToken = await this.idToken(query);
      const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
      res.type("html").send(`<!doctype html><html><body>
<form id="launch" method="post" action="${esc(query.redirect_uri ?? "")}">
<input type="hidden" name="id_token" value="${esc(idToken)}">
<input type="hidden" name="state" value="${esc(query.state ?? "")}">
<button type="submit">Continue</button>
</form>
<script>document.getElementById("launch").submit();</script>
</body></html>`);
    });

    app.post("/token", async (req, res) => {
      if (this.down) return this.refuse(res);
      const body = req.body as Record<string, string>;
      if (
        body.grant_type !== "client_credentials" ||
        body.client_assertion_type !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
      ) {
        return res.status(400).json({ error: "unsupported_grant_type" });
      }
      try {
        const { payload } = await jwtVerify(
          body.client_assertion ?? "",
          createRemoteJWKSet(new URL(this.toolJwksUrl)),
          {
            issuer: this.clientId,
            subject: this.clientId,
            audience: `${this.url}/token`,
          },
        );
        if (!payload.jti) throw new Error("no jti");
      } catch (err) {
        return res.status(401).json({ error: "invalid_client", error_description: String(err) });
      }
      const token = randomUUID();
      this.tokens.add(token);
      this.tokenRequests.push({ scope: body.scope ?? "", clientId: this.clientId });
      res.json({ access_token: token, token_type: "Bearer", expires_in: 3600, scope: body.scope });
    });

    const authorized = (req: express.Request) =>
      this.tokens.has((req.headers.authorization ?? "").replace(/^Bearer /, ""));

    app.get("/ags/:ctx/lineitems", (req, res) => {
      if (this.down) return this.refuse(res);
      if (!authorized(req)) return res.status(401).end();
      const resourceId = typeof req.query.resource_id === "string" ? req.query.resource_id : undefined;
      res
        .type("application/vnd.ims.lis.v2.lineitemcontainer+json")
        .send(JSON.stringify(this.lineItems.filter((li) => !resourceId || li.resourceId === resourceId)));
    });
    app.post("/ags/:ctx/lineitems", (req, res) => {
      if (this.down) return this.refuse(res);
      if (!authorized(req)) return res.status(401).end();
      const body = req.body as Omit<LineItem, "id">;
      const item: LineItem = { ...body, id: `${this.lineitemsUrl()}/${this.lineItems.length + 1}` };
      this.lineItems.push(item);
      res.status(201).type("application/vnd.ims.lis.v2.lineitem+json").send(JSON.stringify(item));
    });
    app.post("/ags/:ctx/lineitems/:item/scores", (req, res) => {
      if (this.down) return this.refuse(res);
      if (!authorized(req)) return res.status(401).end();
      if (!String(req.headers["content-type"]).startsWith("application/vnd.ims.lis.v1.score+json"))
        return res.status(415).end();
      const body = req.body as Omit<RecordedScore, "lineitem">;
      this.scores.push({ ...body, lineitem: `${this.lineitemsUrl()}/${req.params.item}` });
      res.status(204).end();
    });

    app.get("/nrps/:ctx/memberships", (req, res) => {
      if (this.down) return this.refuse(res);
      if (!authorized(req)) return res.status(401).end();
      const page = Number(req.query.page ?? 1);
      this.nrpsPages += 1;
      const everyone = [...this.users.values()].filter((u) => !u.left);
      const slice = everyone.slice((page - 1) * this.pageSize, page * this.pageSize);
      if (page * this.pageSize < everyone.length)
        res.setHeader("Link", `<${this.url}/nrps/${req.params.ctx}/memberships?page=${page + 1}>; rel="next"`);
      res.type("application/vnd.ims.lti-nrps.v2.membershipcontainer+json").send(
        JSON.stringify({
          id: `${this.url}/nrps/${req.params.ctx}/memberships`,
          context: { id: this.contextId, title: "Releasing Software 101" },
          members: slice.map((u) => ({
            user_id: u.sub,
            name: u.name,
            email: u.email,
            roles: u.roles,
            status: u.status ?? "Active",
          })),
        }),
      );
    });

    app.post("/deep-link-return", async (req, res) => {
      try {
        const { payload } = await jwtVerify(
          String((req.body as Record<string, string>).JWT ?? ""),
          createRemoteJWKSet(new URL(this.toolJwksUrl)),
          {
            issuer: this.clientId,
            audience: this.issuer,
          },
        );
        this.deepLinkResponses.push(payload);
        res.type("html").send("<!doctype html><title>Fake LMS</title><h1>Content added</h1>");
      } catch (err) {
        res.status(400).send(`deep-linking response refused: ${String(err)}`);
      }
    });
    return app;
  }

  private refuse(res: express.Response): void {
    this.refusedWhileDown += 1;
    res.status(503).json({ error: "temporarily_unavailable" });
  }
}

/** Reads the auto-posting form's fields from the authorization endpoint's page. */
export function formFields(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1] ?? "";
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]!] = m[2]!
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&amp;/g, "&");
  }
  return { action: action.replace(/&amp;/g, "&"), fields };
}
