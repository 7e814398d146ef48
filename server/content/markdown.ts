/**
 * Markdown to safe HTML, for lecture modules, exercise prompts and anything users write. Headings
 * get stable anchors (github-slugger, the same slugs authors see on GitHub) and are collected into a
 * table of contents. The HTML is sanitized after rendering, so a `<script>` or a `javascript:` link in
 * any Markdown comes out inert.
 *
 * Links and images follow one policy (docs/ARCHITECTURE.md, "Sanitized Markdown"): every link gets
 * rel="noopener noreferrer nofollow", so a linked page can neither reach back into ours nor learn
 * which page sent the reader, and no link lends it our ranking. Images load only from the site's own
 * static files (`/static/…`) or from https hosts on the MARKDOWN_IMAGE_HOSTS allow-list: an image is
 * a request the reader's browser makes without a click, so any other source could track readers or,
 * as a relative path, fire a GET at one of our own routes with their cookies. An image from anywhere
 * else is replaced by its alt text.
 */
import GithubSlugger from "github-slugger";
import { Marked, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";

export interface TocEntry {
  depth: number;
  text: string;
  slug: string;
}

export interface RenderedMarkdown {
  html: string;
  toc: TocEntry[];
}

export interface MarkdownPolicy {
  /** Hostnames (exact, lowercase) images may load from over https, besides the site's /static/ files. */
  imageHosts: readonly string[];
}

export const defaultMarkdownPolicy: MarkdownPolicy = { imageHosts: [] };

export const LINK_REL = "noopener noreferrer nofollow";

/** Whether an image source is the site's own static file or an allow-listed https host. */
export function imageAllowed(src: string, policy: MarkdownPolicy): boolean {
  // Root-relative under /static/, with no way to climb out of it or to become protocol-relative.
  if (/^\/static\/[A-Za-z0-9._\-/]+$/.test(src) && !src.includes("..") && !src.includes("//")) return true;
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return false;
  }
  return (
    url.protocol === "https:" &&
    url.username === "" &&
    url.password === "" &&
    policy.imageHosts.includes(url.hostname.toLowerCase())
  );
}

const baseOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags.filter((t) => t !== "h1"),
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "img",
    "del",
    "input",
  ],
  allowedAttributes: {
    a: ["href", "title", "class", "aria-label", "rel"],
    img: ["src", "alt", "title"],
    code: ["class"],
    pre: ["tabindex"],
    table: ["tabindex"],
    span: ["class"],
    th: ["align"],
    td: ["align"],
    input: ["type", "checked", "disabled"],
    ...Object.fromEntries(["h1", "h2", "h3", "h4", "h5", "h6"].map((h) => [h, ["id"]])),
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["https"] },
  allowProtocolRelative: false,
  // Only task-list checkboxes survive, and they cannot be toggled.
  exclusiveFilter: (frame) => frame.tag === "input" && frame.attribs.type !== "checkbox",
};

function sanitizeOptions(policy: MarkdownPolicy): sanitizeHtml.IOptions {
  return {
    ...baseOptions,
    transformTags: {
      input: (tagName, attribs) => ({ tagName, attribs: { ...attribs, disabled: "" } }),
      // Code blocks and tables scroll inside themselves on a phone; a keyboard reaches them too.
      pre: (tagName, attribs) => ({ tagName, attribs: { ...attribs, tabindex: "0" } }),
      table: (tagName, attribs) => ({ tagName, attribs: { ...attribs, tabindex: "0" } }),
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: LINK_REL } }),
      img: (tagName, attribs) =>
        imageAllowed(attribs.src ?? "", policy)
          ? { tagName, attribs }
          : {
              tagName: "span",
              attribs: { class: "image-blocked" },
              text: attribs.alt ? `[image: ${attribs.alt}]` : "[image]",
            },
    },
  };
}

/** Plain text of a heading's source, without inline Markdown marks, for its slug and TOC entry. */
function headingText(token: Tokens.Heading): string {
  return token.text
    .replace(/[*_`~]/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .trim();
}

export function renderMarkdown(markdown: string, policy: MarkdownPolicy = defaultMarkdownPolicy): RenderedMarkdown {
  const slugger = new GithubSlugger();
  const toc: TocEntry[] = [];
  const marked = new Marked({
    gfm: true,
    async: false,
    renderer: {
      heading(token) {
        const text = headingText(token);
        const slug = slugger.slug(text);
        if (token.depth >= 2 && token.depth <= 3) toc.push({ depth: token.depth, text, slug });
        const inner = this.parser.parseInline(token.tokens);
        return `<h${token.depth} id="${slug}">${inner}</h${token.depth}>\n`;
      },
    },
  });
  const raw = marked.parse(markdown) as string;
  // A table's empty corner cell ("| | Old reader | New reader |") is no header: as a <th> a screen
  // reader announces a blank column name, so it becomes an ordinary empty cell.
  const html = sanitizeHtml(raw, sanitizeOptions(policy)).replace(/<th(?: align="\w+")?>\s*<\/th>/g, "<td></td>");
  return { html, toc };
}
