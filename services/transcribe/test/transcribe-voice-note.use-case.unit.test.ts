import { Metadata, status, type ClientUnaryCall, type ServiceError } from "@grpc/grpc-js";
import type { TodoItemExtractor } from "@sms-todo/command-language";
import { todo } from "@sms-todo/contracts";
import { MAX_TODO_LENGTH, MAX_TODOS_PER_MESSAGE } from "@sms-todo/rules";
import { AppError, createLogger } from "@sms-todo/shared";
import { describe, expect, it } from "vitest";
import type { MediaDownload, TwilioMediaClient } from "../src/media/twilio-media.client.js";
import type { TranscriptionResult, Transcriber } from "../src/transcription/whisper.transcriber.js";
import { VOICE_NOTE_REPLIES } from "../src/voice-notes/voice-note.phrases.js";
import {
  transcribeVoiceNote,
  type VoiceNote,
  type VoiceNoteDeps,
  type VoiceNoteTodoClient,
} from "../src/voice-notes/transcribe-voice-note.use-case.js";

const logger = createLogger({ name: "voice-note-test", level: "silent" });
const SID = `MM${"4".repeat(32)}`;
const URL_1 = `https://api.twilio.com/2010-04-01/Accounts/AC${"1".repeat(32)}/Messages/${SID}/Media/ME${"5".repeat(32)}`;
const URL_2 = `https://api.twilio.com/2010-04-01/Accounts/AC${"1".repeat(32)}/Messages/${SID}/Media/ME${"6".repeat(32)}`;

interface Call {
  rpc: string;
  request: Record<string, unknown>;
}

/** A TodoService client that records calls and answers them, or fails the named RPCs. */
function todoClient(failing: Partial<Record<string, status>> = {}): VoiceNoteTodoClient & { calls: Call[] } {
  const calls: Call[] = [];
  const method =
    (rpc: string) =>
    (
      request: unknown,
      _metadata: Metadata,
      _options: unknown,
      callback: (error: ServiceError | null, response: unknown) => void,
    ) => {
      calls.push({ rpc, request: request as Record<string, unknown> });
      const code = failing[rpc];
      if (code === undefined) callback(null, { result: todo.CommandResult.fromPartial({ duplicate: false }) });
      else callback(Object.assign(new Error(`${rpc} failed`), { code, details: "down", metadata: new Metadata() }), undefined);
      return {} as ClientUnaryCall;
    };
  const rpcs = [
    "addTodos",
    "completeTodos",
    "deleteTodos",
    "editTodo",
    "listTodos",
    "nextPage",
    "undo",
    "showHelp",
    "updateSettings",
    "setSubscription",
    "rejectMessage",
    "findTodo",
    "recordVoiceNote",
  ];
  return Object.assign(Object.fromEntries(rpcs.map((rpc) => [rpc, method(rpc)])) as unknown as VoiceNoteTodoClient, { calls });
}

function mediaClient(
  downloads: Record<string, MediaDownload | AppError>,
): TwilioMediaClient & { removed: string[]; fetched: string[] } {
  const removed: string[] = [];
  const fetched: string[] = [];
  return {
    removed,
    fetched,
    policy: {
      origin: "https://api.twilio.com",
      check: () => ({ allowed: false, reason: "unused" }),
      checkRedirect: () => ({ allowed: false, reason: "unused" }),
      isAllowedOrigin: () => true,
    },
    async download(url) {
      fetched.push(url);
      const answer = downloads[url];
      if (!answer) throw new Error(`no download programmed for ${url}`);
      if (answer instanceof AppError) throw answer;
      return answer;
    },
    async remove(url) {
      removed.push(url);
      return true;
    },
  };
}

const ogg = (url: string, bytes = 100): MediaDownload => ({
  ok: true,
  body: Buffer.alloc(bytes, 1),
  contentType: "audio/ogg",
  url,
});

function transcriber(...answers: Array<TranscriptionResult | AppError>): Transcriber & { clips: number } {
  const state = {
    clips: 0,
    async transcribe() {
      state.clips += 1;
      const answer = answers.shift();
      if (!answer) throw new Error("no transcription programmed");
      if (answer instanceof AppError) throw answer;
      return answer;
    },
  };
  return state;
}

const heard = (text: string): TranscriptionResult => ({ kind: "transcript", text });

/** When ingress accepted the voice note: spoken time words are read from it. */
const RECEIVED_AT_MS = Date.parse("2026-12-07T15:00:00Z");

function note(overrides: Partial<VoiceNote> = {}): VoiceNote {
  return {
    messageSid: SID,
    from: "+15551230001",
    receivedAtMs: RECEIVED_AT_MS,
    media: [{ url: URL_1, contentType: "audio/ogg" }],
    lastAttempt: false,
    ...overrides,
  };
}

function deps(overrides: Partial<VoiceNoteDeps> & Pick<VoiceNoteDeps, "todoClient">): VoiceNoteDeps {
  return {
    media: mediaClient({ [URL_1]: ogg(URL_1) }),
    transcriber: transcriber(heard(" Buy milk and call mom.")),
    logger,
    ...overrides,
  };
}

const context = { phoneNumber: "+15551230001", idempotencyKey: `voice:${SID}`, messageId: SID, receivedAtMs: RECEIVED_AT_MS };

describe("transcribe voice note", () => {
  it("when a voice note names two things, then one RecordVoiceNote stores the transcript and both todos, and the media is deleted", async () => {
    const client = todoClient();
    const media = mediaClient({ [URL_1]: ogg(URL_1, 4321) });
    const result = await transcribeVoiceNote(deps({ todoClient: client, media }), note());
    expect(result).toEqual({ kind: "recorded", items: 2, extractedBy: "splitter", duplicate: false });
    expect(client.calls).toEqual([
      {
        rpc: "recordVoiceNote",
        request: {
          context,
          transcript: "Buy milk and call mom.",
          texts: ["buy milk", "call mom"],
          timings: [],
          list: "",
          media: { url: URL_1, contentType: "audio/ogg", sizeBytes: 4321, durationSeconds: 0 },
        },
      },
    ]);
    expect(media.removed).toEqual([URL_1]);
  });

  it("when a voice note says to be reminded tomorrow morning, then the time words travel beside the todo as typed ones do", async () => {
    const client = todoClient();
    const spoken = transcriber(heard(" Remind me to call the plumber tomorrow morning."));
    await transcribeVoiceNote(deps({ todoClient: client, transcriber: spoken }), note());
    expect(client.calls).toMatchObject([
      {
        rpc: "recordVoiceNote",
        request: { context, texts: ["call the plumber"], timings: [{ when: "tomorrow morning", every: "" }] },
      },
    ]);
  });

  it('when the voice note says "complete number three", then it completes #3 like the same text would', async () => {
    const client = todoClient();
    const media = mediaClient({ [URL_1]: ogg(URL_1) });
    const result = await transcribeVoiceNote(
      deps({ todoClient: client, media, transcriber: transcriber(heard(" Um, complete number three.")) }),
      note(),
    );
    expect(result).toEqual({ kind: "command", command: "complete" });
    expect(client.calls).toEqual([
      { rpc: "completeTodos", request: { context, numbers: [], targets: [{ by: { $case: "number", value: 3 } }], list: "" } },
    ]);
    expect(media.removed).toEqual([URL_1]);
  });

  it('when the voice note says "take milk off the shopping list", then milk is deleted by name in the shopping list', async () => {
    const client = todoClient();
    const result = await transcribeVoiceNote(
      deps({ todoClient: client, transcriber: transcriber(heard(" Take milk off the shopping list.")) }),
      note(),
    );
    expect(result).toEqual({ kind: "command", command: "delete" });
    expect(client.calls).toEqual([
      {
        rpc: "deleteTodos",
        request: { context, numbers: [], targets: [{ by: { $case: "name", value: "milk" } }], list: "shopping" },
      },
    ]);
  });

  it("when the voice note adds things to a named list, then RecordVoiceNote files them in that list", async () => {
    const client = todoClient();
    const result = await transcribeVoiceNote(
      deps({ todoClient: client, transcriber: transcriber(heard(" Add eggs and bread to my shopping list.")) }),
      note(),
    );
    expect(result).toMatchObject({ kind: "recorded", items: 2 });
    expect(client.calls).toMatchObject([{ rpc: "recordVoiceNote", request: { texts: ["eggs", "bread"], list: "shopping" } }]);
  });

  it('when the voice note says "what\'s on my list", then the list is sent', async () => {
    const client = todoClient();
    await transcribeVoiceNote(deps({ todoClient: client, transcriber: transcriber(heard(" What's on my list?")) }), note());
    expect(client.calls.map((call) => call.rpc)).toEqual(["listTodos"]);
  });

  it("when an LLM extractor gives items, then they are recorded instead of the splitter's", async () => {
    const client = todoClient();
    const extractor: TodoItemExtractor = { extract: async () => ["buy oat milk", "phone mom"] };
    const result = await transcribeVoiceNote(deps({ todoClient: client, extractor }), note());
    expect(result).toMatchObject({ kind: "recorded", extractedBy: "llm" });
    expect(client.calls[0]?.request.texts).toEqual(["buy oat milk", "phone mom"]);
  });

  it.each([
    ["nothing", undefined],
    ["an empty list", []],
    ["a blank item", ["buy milk", "  "]],
    ["an item that is too long", ["x".repeat(MAX_TODO_LENGTH + 1)]],
    ["more items than a message may add", Array.from({ length: MAX_TODOS_PER_MESSAGE + 1 }, (_, index) => `item ${index}`)],
  ] as Array<[string, string[] | undefined]>)(
    "when the LLM extractor gives %s, then the splitter reads the transcript",
    async (_name, answer) => {
      const client = todoClient();
      const extractor: TodoItemExtractor = { extract: async () => answer };
      const result = await transcribeVoiceNote(deps({ todoClient: client, extractor }), note());
      expect(result).toMatchObject({ kind: "recorded", extractedBy: "splitter" });
      expect(client.calls[0]?.request.texts).toEqual(["buy milk", "call mom"]);
    },
  );

  it("when whisper cannot decode the audio, then the user is told once, nothing is thrown and the media is kept", async () => {
    const client = todoClient();
    const media = mediaClient({ [URL_1]: ogg(URL_1) });
    const result = await transcribeVoiceNote(
      deps({ todoClient: client, media, transcriber: transcriber({ kind: "undecodable", detail: "failed to read audio data" }) }),
      note(),
    );
    expect(result).toMatchObject({ kind: "answered", reason: "undecodable" });
    expect(client.calls).toEqual([{ rpc: "rejectMessage", request: { context, reason: VOICE_NOTE_REPLIES.undecodable } }]);
    expect(media.removed).toEqual([]);
  });

  it("when whisper is unavailable before the last attempt, then the error is thrown for a retry and nobody is told", async () => {
    const client = todoClient();
    const failing = transcriber(new AppError("UNAVAILABLE", "whisper down"));
    await expect(transcribeVoiceNote(deps({ todoClient: client, transcriber: failing }), note())).rejects.toMatchObject({
      code: "UNAVAILABLE",
    });
    expect(client.calls).toEqual([]);
  });

  it("when whisper is still unavailable on the last attempt, then the user is asked to text instead and the error goes on", async () => {
    const client = todoClient();
    const failing = transcriber(new AppError("DEADLINE_EXCEEDED", "whisper slow"));
    await expect(
      transcribeVoiceNote(deps({ todoClient: client, transcriber: failing }), note({ lastAttempt: true })),
    ).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
    expect(client.calls).toEqual([{ rpc: "rejectMessage", request: { context, reason: VOICE_NOTE_REPLIES.textInstead } }]);
  });

  it("when todo-domain is unavailable for RecordVoiceNote on the last attempt, then the user is asked to text instead", async () => {
    const client = todoClient({ recordVoiceNote: status.UNAVAILABLE });
    await expect(transcribeVoiceNote(deps({ todoClient: client }), note({ lastAttempt: true }))).rejects.toMatchObject({
      code: "UNAVAILABLE",
    });
    expect(client.calls.map((call) => call.rpc)).toEqual(["recordVoiceNote", "rejectMessage"]);
  });

  it("when Twilio's media download is unavailable, then it is retried like whisper", async () => {
    const client = todoClient();
    const media = mediaClient({ [URL_1]: new AppError("UNAVAILABLE", "twilio 503") });
    await expect(transcribeVoiceNote(deps({ todoClient: client, media }), note())).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(client.calls).toEqual([]);
  });

  it("when the media URL is not allowed, then the user is told and the message is dead-lettered for an operator", async () => {
    const client = todoClient();
    const media = mediaClient({ [URL_1]: { ok: false, refusal: "not-allowed", detail: "host is not the Twilio API host" } });
    const transcription = transcriber();
    await expect(
      transcribeVoiceNote(deps({ todoClient: client, media, transcriber: transcription }), note()),
    ).rejects.toMatchObject({
      code: "PERMISSION_DENIED",
    });
    expect(client.calls).toEqual([{ rpc: "rejectMessage", request: { context, reason: VOICE_NOTE_REPLIES.cannotFetch } }]);
    expect(transcription.clips).toBe(0);
  });

  it.each([
    ["too-large", "tooLarge"],
    ["not-audio", "notAudio"],
    ["not-found", "cannotFetch"],
  ] as const)("when the media is %s, then the user is told why and nothing is retried", async (refusal, reason) => {
    const client = todoClient();
    const media = mediaClient({ [URL_1]: { ok: false, refusal, detail: "x" } });
    const result = await transcribeVoiceNote(deps({ todoClient: client, media }), note());
    expect(result).toMatchObject({ kind: "answered", reason });
    expect(client.calls).toEqual([{ rpc: "rejectMessage", request: { context, reason: VOICE_NOTE_REPLIES[reason] } }]);
  });

  it("when no Twilio credentials are configured, then the user is asked to text instead", async () => {
    const client = todoClient();
    const result = await transcribeVoiceNote(deps({ todoClient: client, media: undefined }), note());
    expect(result).toMatchObject({ kind: "answered", reason: "notSetUp" });
    expect(client.calls).toEqual([{ rpc: "rejectMessage", request: { context, reason: VOICE_NOTE_REPLIES.notSetUp } }]);
  });

  it("when whisper hears only silence, then the user is told no words were heard", async () => {
    const client = todoClient();
    const result = await transcribeVoiceNote(
      deps({ todoClient: client, transcriber: transcriber(heard(" [BLANK_AUDIO]")) }),
      note(),
    );
    expect(result).toMatchObject({ kind: "answered", reason: "nothingHeard" });
  });

  it("when the message carries no audio, then the user is told only voice notes are read", async () => {
    const client = todoClient();
    const result = await transcribeVoiceNote(
      deps({ todoClient: client }),
      note({ media: [{ url: URL_1, contentType: "image/jpeg" }] }),
    );
    expect(result).toMatchObject({ kind: "answered", reason: "notAudio" });
  });

  it("when one message carries two voice notes, then they are one transcript, one call and one reply", async () => {
    const client = todoClient();
    const media = mediaClient({ [URL_1]: ogg(URL_1, 100), [URL_2]: ogg(URL_2, 50) });
    await transcribeVoiceNote(
      deps({ todoClient: client, media, transcriber: transcriber(heard(" Buy milk."), heard(" Call mom.")) }),
      note({
        media: [
          { url: URL_1, contentType: "audio/ogg" },
          { url: "https://example.test/photo.jpg", contentType: "image/jpeg" },
          { url: URL_2, contentType: "audio/ogg" },
        ],
      }),
    );
    expect(client.calls).toHaveLength(1);
    expect(client.calls[0]?.request).toMatchObject({
      transcript: "Buy milk.\nCall mom.",
      texts: ["buy milk", "call mom"],
      media: { url: URL_1, sizeBytes: 150 },
    });
    expect(media.fetched).toEqual([URL_1, URL_2]);
    expect(media.removed).toEqual([URL_1, URL_2]);
  });
});
