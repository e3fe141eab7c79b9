import {
  dispatchCommand,
  timingsOf,
  TODO_CALL_DEADLINE_MS,
  type TodoCommandClient,
  type TodoItemExtractor,
} from "@sms-todo/command-language";
import { readTiming } from "@sms-todo/command-language/time";
import {
  isAudioContentType,
  MAX_TODO_LENGTH,
  MAX_TODOS_PER_MESSAGE,
  MAX_TRANSCRIPT_LENGTH,
  mediaTypeEssence,
} from "@sms-todo/rules";
import type { todo } from "@sms-todo/contracts";
import { AppError, type Logger } from "@sms-todo/shared";
import { callUnary, type UnaryMethod } from "@sms-todo/shared/grpc-client";
import { z } from "zod";
import { cleanedTranscript, spokenAddOf, spokenCommandOf } from "../items/spoken-command.detector.js";
import { splitSpokenItems } from "../items/spoken-items.splitter.js";
import { probeDurationSeconds } from "../media/audio-duration.probe.js";
import type { MediaRefusal, TwilioMediaClient } from "../media/twilio-media.client.js";
import type { Transcriber } from "../transcription/whisper.transcriber.js";
import { VOICE_NOTE_REPLIES } from "./voice-note.phrases.js";

/** The TodoService calls transcribe makes: the command set plus RecordVoiceNote. */
export interface VoiceNoteTodoClient extends TodoCommandClient {
  recordVoiceNote: UnaryMethod<todo.RecordVoiceNoteRequest, todo.RecordVoiceNoteResponse>;
}

export interface VoiceNoteDeps {
  todoClient: VoiceNoteTodoClient;
  /** undefined when no Twilio credentials are configured: media cannot be downloaded then. */
  media: TwilioMediaClient | undefined;
  transcriber: Transcriber;
  /** The optional LLM; the deterministic splitter reads the transcript when it is absent or gives nothing. */
  extractor?: TodoItemExtractor | undefined;
  logger: Logger;
}

export interface VoiceNote {
  messageSid: string;
  from: string;
  /** When ingress accepted the message, epoch milliseconds (0: unknown); spoken time words are read from it. */
  receivedAtMs?: number;
  media: ReadonlyArray<{ url: string; contentType: string }>;
  /**
   * The queue will not deliver this message again after this attempt. A failure worth
   * retrying (whisper or Twilio unavailable) is then answered with "please text instead"
   * before it goes on to the dead-letter queue.
   */
  lastAttempt: boolean;
}

export type VoiceNoteResult =
  | { kind: "recorded"; items: number; extractedBy: "llm" | "splitter"; duplicate: boolean }
  | { kind: "command"; command: string }
  | { kind: "answered"; reason: keyof typeof VOICE_NOTE_REPLIES; detail?: string };

const extractedItems = z.array(z.string().trim().min(1).max(MAX_TODO_LENGTH)).min(1).max(MAX_TODOS_PER_MESSAGE);

/** One idempotency key per message, whatever it does: a redelivery or a late reply is never a second effect. */
export function voiceNoteContext(note: Pick<VoiceNote, "messageSid" | "from" | "receivedAtMs">): todo.CommandContext {
  return {
    phoneNumber: note.from,
    idempotencyKey: `voice:${note.messageSid}`,
    messageId: note.messageSid,
    receivedAtMs: note.receivedAtMs ?? 0,
  };
}

interface Heard {
  url: string;
  contentType: string;
  sizeBytes: number;
  durationSeconds: number | undefined;
  text: string;
}

/**
 * A voice note in, exactly one effect out: its todos recorded (RecordVoiceNote), the
 * spoken command applied, or a reply saying why neither happened. Several audio items in
 * one message are transcribed in order and treated as one note.
 *
 * Throws AppError only when trying again later may help (whisper, Twilio or todo-domain
 * unavailable); the broker then retries with back-off. On the last attempt the user is
 * told to text instead first, and the error still goes to the broker, whose delivery limit
 * moves the message to the dead-letter queue.
 */
export async function transcribeVoiceNote(deps: VoiceNoteDeps, note: VoiceNote): Promise<VoiceNoteResult> {
  const context = voiceNoteContext(note);
  const reply = async (reason: keyof typeof VOICE_NOTE_REPLIES, detail?: string): Promise<VoiceNoteResult> => {
    await callUnary(
      deps.todoClient.rejectMessage.bind(deps.todoClient),
      { context, reason: VOICE_NOTE_REPLIES[reason] },
      { deadlineMs: TODO_CALL_DEADLINE_MS, correlationId: note.messageSid },
    );
    return { kind: "answered", reason, ...(detail === undefined ? {} : { detail }) };
  };

  const audio = note.media.filter((item) => isAudioContentType(item.contentType));
  if (audio.length === 0) return reply("notAudio", note.media.map((item) => mediaTypeEssence(item.contentType)).join(","));
  if (!deps.media) return reply("notSetUp");
  const media = deps.media;

  let heard: Heard[];
  try {
    const outcome = await transcribeAll(deps, media, note.messageSid, audio);
    if (outcome.kind === "refused") {
      const result = await reply(replyForRefusal(outcome.refusal), outcome.detail);
      // A URL that is not Twilio media of this account, or credentials Twilio refuses, is a matter for an operator:
      // the user has the answer, the message goes to the dead-letter queue for inspection.
      if (outcome.refusal === "not-allowed" || outcome.refusal === "refused") {
        throw new AppError("PERMISSION_DENIED", `voice note media refused (${outcome.refusal}): ${outcome.detail}`);
      }
      return result;
    }
    if (outcome.kind === "undecodable") return reply("undecodable", outcome.detail);
    heard = outcome.heard;
  } catch (error) {
    if (note.lastAttempt && error instanceof AppError && error.retryable) await reply("textInstead", error.code);
    throw error;
  }

  const transcript = heard
    .map((item) => item.text.trim())
    .join("\n")
    .slice(0, MAX_TRANSCRIPT_LENGTH);
  const cleaned = cleanedTranscript(transcript);
  if (cleaned === "") {
    const result = await reply("nothingHeard");
    await removeAll(deps, media, note.messageSid, heard);
    return result;
  }

  try {
    const command = spokenCommandOf(transcript);
    if (command) {
      await dispatchCommand(command, context, deps.todoClient);
      await removeAll(deps, media, note.messageSid, heard);
      return { kind: "command", command: command.kind };
    }

    // "Add eggs and bread to my shopping list": the items go on that list, as the same text would.
    const listAdd = spokenAddOf(transcript);
    const llmItems = !listAdd && deps.extractor ? extractedItems.safeParse(await deps.extractor.extract(cleaned)) : undefined;
    const items = listAdd ? [...listAdd.texts] : llmItems?.success ? llmItems.data : splitSpokenItems(cleaned);
    // "Call the plumber tomorrow morning": the time words leave the text, as in a typed add.
    const timed = items.map(readTiming);
    const texts = timed.map((item) => item.text);
    const first = heard[0]!;
    const durations = heard.map((item) => item.durationSeconds);
    const response = await callUnary(
      deps.todoClient.recordVoiceNote.bind(deps.todoClient),
      {
        context,
        transcript,
        texts,
        timings: timingsOf(timed.map((item) => item.timing)),
        list: listAdd?.list ?? "",
        media: {
          url: first.url,
          contentType: first.contentType,
          sizeBytes: heard.reduce((sum, item) => sum + item.sizeBytes, 0),
          durationSeconds: durations.every((seconds) => seconds !== undefined)
            ? durations.reduce<number>((sum, seconds) => sum + (seconds ?? 0), 0)
            : 0,
        },
      },
      { deadlineMs: TODO_CALL_DEADLINE_MS, correlationId: note.messageSid },
    );
    await removeAll(deps, media, note.messageSid, heard);
    return {
      kind: "recorded",
      items: texts.length,
      extractedBy: llmItems?.success ? "llm" : "splitter",
      duplicate: response.result?.duplicate ?? false,
    };
  } catch (error) {
    if (note.lastAttempt && error instanceof AppError && error.retryable) await reply("textInstead", error.code);
    throw error;
  }
}

type TranscribeAllOutcome =
  | { kind: "heard"; heard: Heard[] }
  | { kind: "refused"; refusal: MediaRefusal; detail: string }
  | { kind: "undecodable"; detail: string };

/** Downloads and transcribes each audio item; succeeds when at least one was heard. */
async function transcribeAll(
  deps: VoiceNoteDeps,
  media: TwilioMediaClient,
  messageSid: string,
  audio: ReadonlyArray<{ url: string; contentType: string }>,
): Promise<TranscribeAllOutcome> {
  const log = deps.logger.child({ component: "voice-note", messageId: messageSid });
  const heard: Heard[] = [];
  let refusal: { refusal: MediaRefusal; detail: string } | undefined;
  let undecodable: string | undefined;
  for (const [index, item] of audio.entries()) {
    const download = await media.download(item.url, item.contentType, messageSid);
    if (!download.ok) {
      log.warn({ media: index, refusal: download.refusal, detail: download.detail }, "voice note media not downloaded");
      refusal ??= { refusal: download.refusal, detail: download.detail };
      continue;
    }
    const durationSeconds = probeDurationSeconds(download.body);
    const result = await deps.transcriber.transcribe({
      audio: download.body,
      contentType: download.contentType,
      durationSeconds,
    });
    if (result.kind === "undecodable") {
      log.info({ media: index, detail: result.detail, bytes: download.body.length }, "voice note audio could not be decoded");
      undecodable ??= result.detail;
      continue;
    }
    heard.push({
      url: item.url,
      contentType: download.contentType,
      sizeBytes: download.body.length,
      durationSeconds,
      text: result.text,
    });
  }
  if (heard.length > 0) return { kind: "heard", heard };
  if (refusal) return { kind: "refused", ...refusal };
  return { kind: "undecodable", detail: undecodable ?? "no audio" };
}

function replyForRefusal(refusal: MediaRefusal): keyof typeof VOICE_NOTE_REPLIES {
  switch (refusal) {
    case "too-large":
      return "tooLarge";
    case "not-audio":
      return "notAudio";
    default:
      return "cannotFetch";
  }
}

/** Twilio keeps media until it is deleted; once the transcript is stored, nothing needs it. Best effort. */
async function removeAll(
  deps: VoiceNoteDeps,
  media: TwilioMediaClient,
  messageSid: string,
  heard: readonly Heard[],
): Promise<void> {
  for (const item of heard) {
    const removed = await media.remove(item.url, messageSid);
    if (!removed) deps.logger.warn({ messageId: messageSid, url: item.url }, "voice note media could not be deleted at Twilio");
  }
}
