import { test } from "vitest";
import { resolveSelector } from "../src/matching/todo.resolver.js";
test("x", () => {
  const t = (texts: string[]) => texts.map((text, i) => ({ number: i + 1, text, list: "" }));
  const cases: [string, string[]][] = [
    ["milk", ["buy milk", "buy oat milk"]], ["milk", ["milk", "buy milk"]], ["called mom", ["call mom", "buy mom a gift"]],
    ["asprin", ["buy aspirin", "call mom"]], ["grocery buying", ["buy groceries", "call mom"]], ["finished the report", ["write the report"]],
    ["Play Games 1", ["Play Games 1", "Play Games 2"]], ["my dinner tomorrow", ["dinner", "buy milk"]], ["vacuuming", ["call mom", "vacuum the living room"]],
    ["mowing the lawn", ["mow the lawn"]], ["the doctors appoitment i had tuesday", ["doctors appointment"]], ["brithday party", ["birthday party"]],
    ["sell milk", ["buy milk"]], ["the fundraiser for dolphines in April", ["fundraiser for dolphins"]], ["socks", ["buy socks", "buy shoes"]],
  ];
  for (const [name, texts] of cases) console.log(name, "=>", JSON.stringify(resolveSelector({ by: "name", name }, t(texts))));
});
