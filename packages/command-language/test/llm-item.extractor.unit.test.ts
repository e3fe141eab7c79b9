import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MAX_TODO_LENGTH, MAX_TODOS_PER_MESSAGE } from "@sms-todo/rules";
import { OpenAiStandIn, messageText, type OpenAiAnswer } from "@sms-todo/testkit";
import { createLlmClient, type LlmClient } from "../src/llm/llm.client.js";
import { createLlmItemExtractor, LLM_ITEMS_SCHEMA_NAME } from "../src/llm/llm-item.extractor.js";

const TRANSCRIPT = "Um, so I need to buy milk, and remind me to call the dentist tomorrow. Oh and the car needs washing.";

describe("LLM item extractor against an OpenAI-compatible endpoint", () => {
  const standIn = new OpenAiStandIn();
  let client: LlmClient;
  let failures: string[];

  beforeAll(async () => {
    await standIn.start();
    client = createLlmClient({ OPENAI_BASE_URL: standIn.baseUrl, LLM_MODEL: "stand-in-model" }, { maxRetries: 0 })!;
  });

  afterAll(async () => {
    await standIn.stop();
  });

  beforeEach(() => {
    standIn.requests.length = 0;
    failures = [];
  });

  const extract = (transcript = TRANSCRIPT) =>
    createLlmItemExtractor(client, { onFailure: (failure) => failures.push(failure) }).extract(transcript);

  it("when the model lists the items, then they come back normalised and the transcript was alone in the user message", async () => {
    standIn.program({ kind: "json", value: { items: ["buy milk", " call the   dentist tomorrow ", "wash the car"] } });
    expect(await extract()).toEqual(["buy milk", "call the dentist tomorrow", "wash the car"]);
    const [request] = standIn.requests;
    expect(request?.messages.map((message) => message.role)).toEqual(["system", "user"]);
    expect(request?.messages[1]?.content).toBe(TRANSCRIPT);
    expect(messageText(request!, "system")).not.toContain("milk");
    expect(request?.responseFormat).toMatchObject({
      type: "json_schema",
      json_schema: { name: LLM_ITEMS_SCHEMA_NAME, strict: true },
    });
  });

  it.each<[string, OpenAiAnswer, string]>([
    ["no items", { kind: "json", value: { items: [] } }, "empty"],
    ["an extra field", { kind: "json", value: { items: ["buy milk"], phone_number: "+15550001111" } }, "rejected"],
    [
      `${MAX_TODOS_PER_MESSAGE + 1} items`,
      { kind: "json", value: { items: Array.from({ length: MAX_TODOS_PER_MESSAGE + 1 }, (_, index) => `item ${index}`) } },
      "rejected",
    ],
    [
      `an item of ${MAX_TODO_LENGTH + 1} characters`,
      { kind: "json", value: { items: ["x".repeat(MAX_TODO_LENGTH + 1)] } },
      "rejected",
    ],
    ["an empty item", { kind: "json", value: { items: ["buy milk", "  "] } }, "rejected"],
    ["items that are not strings", { kind: "json", value: { items: [{ text: "buy milk" }] } }, "rejected"],
    ["a command instead of items", { kind: "json", value: { command: { kind: "delete", numbers: [1, 2] } } }, "rejected"],
    ["content that is not JSON", { kind: "content", content: "buy milk, call the dentist" }, "malformed"],
    ["a refusal", { kind: "refusal", refusal: "no" }, "refused"],
    ["HTTP 500", { kind: "status", status: 500 }, "unavailable"],
  ])(
    "when the model answers with %s, then there are no items and the caller splits the transcript itself",
    async (_name, answer, failure) => {
      standIn.program(answer);
      expect(await extract()).toBeUndefined();
      expect(failures).toEqual([failure]);
    },
  );

  it("when the endpoint never answers, then there are no items after the timeout", async () => {
    const impatient = createLlmClient(
      { OPENAI_BASE_URL: standIn.baseUrl, LLM_MODEL: "stand-in-model" },
      { timeoutMs: 200, maxRetries: 0 },
    )!;
    standIn.program({ kind: "hang" });
    expect(
      await createLlmItemExtractor(impatient, { onFailure: (failure) => failures.push(failure) }).extract(TRANSCRIPT),
    ).toBeUndefined();
    expect(failures).toEqual(["timeout"]);
  });

  it.each([
    ["an empty transcript", "   ", "empty"],
    ["a transcript of more than 10,000 characters", "buy milk ".repeat(1_200), "too_long"],
  ])("when the extractor is given %s, then the model is not asked", async (_name, transcript, failure) => {
    expect(await extract(transcript)).toBeUndefined();
    expect(failures).toEqual([failure]);
    expect(standIn.requests).toEqual([]);
  });
});
