/** Every service a functional-tests exercise can test, by the name mutants.yaml gives as `service`. */
import { checkoutSubject } from "./checkout-subject";
import { gatewaySubject } from "./gateway-subject";
import type { Subject } from "./subject";

export const SUBJECTS = { checkout: checkoutSubject, "home-gateway": gatewaySubject } as const satisfies Record<
  string,
  Subject
>;
export type SubjectId = keyof typeof SUBJECTS;
export const SUBJECT_IDS = Object.keys(SUBJECTS) as [SubjectId, ...SubjectId[]];

/** The exercise's subject; mutants.yaml without `service` tests the checkout service, as the first exercise does. */
export function subjectOf(oracle: { service?: SubjectId | undefined }): Subject {
  return SUBJECTS[oracle.service ?? "checkout"];
}
