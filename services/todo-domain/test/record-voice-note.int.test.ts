import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todo } from "@sms-todo/contracts";
import { MAX_TODO_LENGTH, MAX_TODOS_PER_MESSAGE, MAX_TRANSCRIPT_LENGTH } from "@sms-todo/rules";
import { startTodoDomain, type TodoDomainFixture } from "./todo-domain.fixture.js";

const ALICE = "+15553330001";
const BOB = "+15553330002";
const CAROL = "+15553330003";
const MEDIA = {
  url: "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages/MM1/Media/ME1",
  contentType: "audio/ogg",
  sizeBytes: 48_213,
  durationSeconds: 4.5,
};

let sequence = 0;
const context = (phoneNumber: string, key = `sms:MM${(sequence += 1).toString().padStart(32, "0")}`) => ({
  phoneNumber,
  idempotencyKey: key,
  messageId: key.slice(4),
});

describe("RecordVoiceNote", () => {
  let domain: TodoDomainFixture;
  const record = (phoneNumber: string, request: Partial<todo.RecordVoiceNoteRequest>, key?: string) =>
    domain.call<todo.RecordVoiceNoteResponse>("recordVoiceNote", {
      context: context(phoneNumber, key),
      transcript: "buy milk and call the plumber",
      texts: ["buy milk", "call the plumber"],
      media: MEDIA,
      ...request,
    });
  const openTodos = async (phoneNumber: string) =>
    (await domain.call<todo.GetTodosResponse>("getTodos", { phoneNumber })).todos.map((t) => `#${t.number} ${t.text}`);
  const userId = async (phoneNumber: string) =>
    (
      await domain.databases.todo
        .selectFrom("users")
        .select("id")
        .where("phone_number", "=", phoneNumber)
        .executeTakeFirstOrThrow()
    ).id;
  const transcriptsOf = async (phoneNumber: string) =>
    domain.databases.transcription
      .selectFrom("transcripts")
      .selectAll()
      .where("user_id", "=", await userId(phoneNumber))
      .execute();
  const auditOf = async (phoneNumber: string) =>
    domain.databases.audit
      .selectFrom("audit_events")
      .select(["action", "todo_id", "saga_id", "message_id"])
      .where("user_id", "=", await userId(phoneNumber))
      .orderBy("id")
      .execute();
  const counts = async () => ({
    todos: Number(
      (
        await domain.databases.todo
          .selectFrom("todos")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    transcripts: Number(
      (
        await domain.databases.transcription
          .selectFrom("transcripts")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  });

  beforeAll(async () => {
    domain = await startTodoDomain();
  });
  afterAll(async () => {
    await domain.close();
  });

  it("when a voice note names two todos, then they are added as voice todos on the lowest free numbers, with the transcript, its media and one audit event each", async () => {
    await domain.call("addTodos", { context: context(ALICE), texts: ["water plants", "pay rent"], source: 1 });
    await domain.call("completeTodos", { context: context(ALICE), numbers: [1] });
    await domain.takeReplies(2);

    const key = "sms:MM" + "a".repeat(32);
    const response = await record(ALICE, {}, key);

    expect(response.result).toMatchObject({
      duplicate: false,
      outcome: {
        kind: {
          $case: "added",
          value: {
            todos: [
              { number: 1, text: "buy milk", status: todo.TodoStatus.TODO_STATUS_OPEN },
              { number: 3, text: "call the plumber", status: todo.TodoStatus.TODO_STATUS_OPEN },
            ],
            heard: "buy milk and call the plumber",
          },
        },
      },
    });
    expect(await openTodos(ALICE)).toEqual(["#1 buy milk", "#2 pay rent", "#3 call the plumber"]);
    const sources = await domain.databases.todo
      .selectFrom("todos")
      .select(["text", "source"])
      .where("user_id", "=", await userId(ALICE))
      .where("status", "=", "open")
      .orderBy("number")
      .execute();
    expect(sources.map((row) => row.source)).toEqual(["voice", "sms", "voice"]);

    const [transcript, ...others] = await transcriptsOf(ALICE);
    expect(others).toEqual([]);
    expect(transcript).toMatchObject({
      message_id: key.slice(4),
      phone_number: ALICE,
      idempotency_key: key,
      text: "buy milk and call the plumber",
      media_url: MEDIA.url,
      content_type: "audio/ogg",
      size_bytes: 48_213,
      duration_seconds: 4.5,
    });
    expect(transcript?.created_at).toBeInstanceOf(Date);

    const sagaId = transcript?.saga_id;
    const added = (await auditOf(ALICE)).filter((event) => event.saga_id === sagaId);
    const todoIds =
      response.result?.outcome?.kind?.$case === "added" ? response.result.outcome.kind.value.todos.map((t) => t.id) : [];
    expect(added).toEqual(
      todoIds.map((id) => ({ action: "todo.added", todo_id: id, saga_id: sagaId, message_id: key.slice(4) })),
    );
    const saga = await domain.databases.todo
      .selectFrom("saga_log")
      .selectAll()
      .where("saga_id", "=", sagaId!)
      .executeTakeFirstOrThrow();
    expect(saga).toMatchObject({ kind: "record-voice-note", status: "completed", user_id: await userId(ALICE) });

    const [reply] = await domain.takeReplies(1);
    expect(reply?.phoneNumber).toBe(ALICE);
    expect(reply?.outcome?.kind).toMatchObject({ $case: "added", value: { heard: "buy milk and call the plumber" } });
  });

  it("when a voice note holds no todo, then the transcript is still stored and the outcome is an empty add with the heard excerpt", async () => {
    const response = await record(BOB, { transcript: "um hello is this thing on", texts: [] });
    expect(response.result?.outcome?.kind).toEqual({ $case: "added", value: { todos: [], heard: "um hello is this thing on" } });
    expect(await openTodos(BOB)).toEqual([]);
    expect((await transcriptsOf(BOB)).map((row) => row.text)).toEqual(["um hello is this thing on"]);
    expect(await auditOf(BOB)).toEqual([]);
    const [reply] = await domain.takeReplies(1);
    expect(reply?.outcome?.kind).toEqual({ $case: "added", value: { todos: [], heard: "um hello is this thing on" } });
  });

  it("when the transcript is long, then the whole of it is stored and the heard excerpt is cut at a word boundary", async () => {
    const transcript = `${"remember to pick up the dry cleaning before six ".repeat(6)}and then go home`;
    const response = await record(CAROL, {
      transcript,
      texts: ["pick up the dry cleaning"],
      media: { ...MEDIA, durationSeconds: 0 },
    });
    const heard = response.result?.outcome?.kind?.$case === "added" ? response.result.outcome.kind.value.heard : "";
    expect(heard.length).toBeLessThanOrEqual(100);
    expect(heard.endsWith("…")).toBe(true);
    expect(transcript.startsWith(heard.slice(0, -1))).toBe(true);
    expect(transcript[heard.length - 1]).toBe(" ");
    const [row] = await transcriptsOf(CAROL);
    expect(row).toMatchObject({ text: transcript, duration_seconds: null });
    await domain.takeReplies(1);
  });

  it("when the same voice note arrives twice, then one transcript and one set of todos exist and the second call is a duplicate", async () => {
    const phone = "+15553330004";
    const key = "sms:MM" + "b".repeat(32);
    const first = await record(phone, {}, key);
    const second = await record(phone, {}, key);
    expect(first.result?.duplicate).toBe(false);
    expect(second.result?.duplicate).toBe(true);
    expect(second.result?.outcome).toEqual(first.result?.outcome);
    expect(await openTodos(phone)).toEqual(["#1 buy milk", "#2 call the plumber"]);
    expect(await transcriptsOf(phone)).toHaveLength(1);
    expect(await auditOf(phone)).toHaveLength(2);
    await domain.takeReplies(1);
  });

  it("when a voice note is malformed, then it gets INVALID_ARGUMENT and nothing is stored", async () => {
    const before = await counts();
    const refused = [
      { transcript: "x".repeat(MAX_TRANSCRIPT_LENGTH + 1) },
      { transcript: "   " },
      { texts: ["x".repeat(MAX_TODO_LENGTH + 1)] },
      { texts: Array.from({ length: MAX_TODOS_PER_MESSAGE + 1 }, (_, i) => `todo ${i}`) },
      { media: undefined },
      { media: { ...MEDIA, url: "ftp://api.twilio.com/media" } },
      { media: { ...MEDIA, url: "not a url" } },
      { media: { ...MEDIA, contentType: "" } },
    ];
    for (const request of refused) {
      await expect(record(ALICE, request)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    }
    expect(await counts()).toEqual(before);
  });
});
