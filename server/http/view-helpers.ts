/** Functions the ejs views call; set once on app.locals so every template has them. */
import { formFieldName, formatPath } from "../../grader/exercises";
import { renderMarkdown } from "../content/markdown";

export const viewHelpers = {
  formFieldName,
  formatPath,
  /** Markdown from exercise files (field help), sanitized like everything else. */
  md: (text: string): string => renderMarkdown(text).html,
};
