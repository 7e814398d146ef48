/**
 * The functional-tests exercise's grading data (`exercises/<id>/mutants.yaml`): what passing against
 * the reference is worth, and for each mutant the behaviour it breaks in words, its points, a hint
 * and the lecture section that explains the behaviour. The mutants themselves are code (./service.ts,
 * ./gateway-service.ts), chosen by `service`.
 */
import { z } from "zod";
import { SUBJECT_IDS, SUBJECTS } from "./subjects";

const link = z.string().regex(/^\/modules\/[a-z0-9-]+#[a-z0-9-]+$/, "expected /modules/<id>#<heading-slug>");

export const functionalTestsOracleSchema = z
  .strictObject({
    /** The service under test (./subjects.ts); the checkout service when left out. */
    service: z.enum(SUBJECT_IDS).optional(),
    reference: z.strictObject({
      name: z.string().min(1),
      points: z.number().positive(),
      passMessage: z.string().min(1),
      hint: z.string().min(1).optional(),
      link: link.optional(),
      keyTerm: z.string().min(1).optional(),
    }),
    mutants: z
      .array(
        z.strictObject({
          /** One of the subject's mutants (checked below against `service`). */
          id: z.string().min(1),
          /** Completes "a service where …": what the mutant gets wrong, in the student's words. */
          behaviour: z.string().min(1),
          points: z.number().positive(),
          /** What kind of test would tell it apart from the correct service. */
          hint: z.string().min(1),
          link,
          /** A word or phrase the linked lecture section uses (checked by test/exercises/links.test.ts). */
          keyTerm: z.string().min(1).optional(),
        }),
      )
      .min(1),
  })
  .superRefine((data, ctx) => {
    const known: readonly string[] = SUBJECTS[data.service ?? "checkout"].mutantIds;
    const ids = data.mutants.map((m) => m.id);
    for (const id of known)
      if (!ids.includes(id)) ctx.addIssue({ code: "custom", path: ["mutants"], message: `mutant "${id}" is missing` });
    ids.forEach((id, i) => {
      if (!known.includes(id))
        ctx.addIssue({
          code: "custom",
          path: ["mutants", i, "id"],
          message: `"${id}" is not a mutant of the ${data.service ?? "checkout"} service; expected one of: ${known.join(", ")}`,
        });
      else if (ids.indexOf(id) !== i)
        ctx.addIssue({ code: "custom", path: ["mutants", i, "id"], message: `"${id}" appears twice` });
    });
  });
export type FunctionalTestsOracle = z.infer<typeof functionalTestsOracleSchema>;
export type MutantSpec = FunctionalTestsOracle["mutants"][number];
