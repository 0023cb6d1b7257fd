/**
 * `xs:choice` checks, shared by the reader and the writer: the members of a choice are optional
 * one by one in a descriptor's `content`, and these rules say which combinations are allowed.
 */
import { WILDCARD_MEMBER, type ChoiceMeta, type ElementMeta } from "../meta.ts";

/**
 * What is wrong with the members present, or `undefined`: two branches present, none where one
 * is required, or a chosen branch that lacks a member it requires.
 */
export function choiceProblem(choice: ChoiceMeta, content: readonly ElementMeta[], present: (index: number) => boolean, wildcardTook: boolean | ((wildcard: number) => boolean) = false): string | undefined {
  /** Whether the branch's xs:any took elements (with several wildcards, that one; else the type's only one). */
  const took = (branch: ChoiceMeta["branches"][number]) => branch.wildcard === true && (typeof wildcardTook === "boolean" ? wildcardTook : wildcardTook(branch.wildcardIndex ?? 0));
  if (choice.repeated === true) {
    // Alternatives interleave: only a required one can be wrong, when nothing of it is there.
    if (!choice.required || (typeof wildcardTook === "boolean" ? wildcardTook : choice.branches.some(took)) || choice.branches.some((b) => b.members.some(present))) return undefined;
    return `at least one of ${choice.branches.flatMap((b) => b.members.map((i) => memberName(content[i]!))).join(", ")} is required (a repeated xs:choice)`;
  }
  let chosen: ChoiceMeta["branches"][number] | undefined;
  const names = (branch: ChoiceMeta["branches"][number]) => [...branch.members.filter(present).map((i) => memberName(content[i]!)), ...(took(branch) ? [WILDCARD_MEMBER] : [])];
  for (const branch of choice.branches) {
    if (!branch.members.some(present) && !took(branch)) continue;
    if (chosen !== undefined) {
      const first = names(chosen);
      const second = names(branch);
      return `${first.join(", ")} and ${second.join(", ")} are alternatives (xs:choice): give only one of them`;
    }
    chosen = branch;
  }
  if (chosen === undefined) {
    return choice.required ? `one of ${choice.branches.map((b) => [...b.members.map((i) => memberName(content[i]!)), ...(b.wildcard === true ? [WILDCARD_MEMBER] : [])].join(" + ")).join(", ")} is required (xs:choice)` : undefined;
  }
  const missing = chosen.required.filter((i) => !present(i));
  return missing.length === 0 ? undefined : `missing required member ${missing.map((i) => memberName(content[i]!)).join(", ")} of the chosen alternative`;
}

/** The property that holds a member (its name, but for a later member with an earlier one's name). */
function memberName(p: ElementMeta): string {
  return p.member ?? p.name;
}
