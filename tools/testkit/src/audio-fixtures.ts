import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Real audio files in the containers phones send, made at test time from speech that
 * espeak-ng synthesises and ffmpeg encodes (Debian packages `espeak-ng` and `ffmpeg`).
 *
 * AMR: Debian's ffmpeg decodes AMR but has no AMR encoder (libopencore-amrnb is not linked
 * in), and no other Debian package encodes it. The AMR fixtures are therefore built here
 * as a genuine AMR-NB bitstream (RFC 4867 storage format, 12.2 kbit/s frames) whose frame
 * parameters are generated, not encoded from speech: ffmpeg's AMR decoder decodes it as
 * it would a phone's file, but what it plays is noise, not the spoken text. The 3GPP
 * variant carries that AMR stream in a .3gp container (ffmpeg remuxes without encoding),
 * which is what Android voice recorders send.
 */
export type AudioFixtureKind =
  "wav" | "mp3" | "ogg-opus" | "opus" | "m4a-aac" | "aac-adts" | "3gp-aac" | "amr" | "3gp-amr" | "webm-opus";

export interface AudioFixture {
  kind: AudioFixtureKind;
  /** The type Twilio reports for such a file. */
  contentType: string;
  fileName: string;
  body: Buffer;
  /** As ffprobe reads it. */
  durationSeconds: number;
  /** True when the audio is the spoken text; false for the generated AMR streams. */
  speech: boolean;
}

export const AUDIO_FIXTURE_KINDS: readonly AudioFixtureKind[] = [
  "wav",
  "mp3",
  "ogg-opus",
  "opus",
  "m4a-aac",
  "aac-adts",
  "3gp-aac",
  "amr",
  "3gp-amr",
  "webm-opus",
];

const ENCODINGS: Record<
  Exclude<AudioFixtureKind, "wav" | "amr" | "3gp-amr">,
  { file: string; contentType: string; args: string[] }
> = {
  mp3: { file: "note.mp3", contentType: "audio/mpeg", args: ["-c:a", "libmp3lame", "-b:a", "48k"] },
  "ogg-opus": { file: "note.ogg", contentType: "audio/ogg", args: ["-c:a", "libopus", "-b:a", "24k", "-f", "ogg"] },
  opus: { file: "note.opus", contentType: "audio/opus", args: ["-c:a", "libopus", "-b:a", "24k", "-f", "opus"] },
  "m4a-aac": { file: "note.m4a", contentType: "audio/mp4", args: ["-c:a", "aac", "-b:a", "48k", "-f", "mp4"] },
  "aac-adts": { file: "note.aac", contentType: "audio/aac", args: ["-c:a", "aac", "-b:a", "48k", "-f", "adts"] },
  "3gp-aac": { file: "note.3gp", contentType: "audio/3gpp", args: ["-c:a", "aac", "-b:a", "32k", "-ar", "16000", "-f", "3gp"] },
  "webm-opus": { file: "note.webm", contentType: "audio/webm", args: ["-c:a", "libopus", "-b:a", "24k", "-f", "webm"] },
};

/** Throws, naming what to install, when espeak-ng or ffmpeg is missing: the audio tests never skip. */
export async function assertAudioToolsAvailable(): Promise<void> {
  for (const [tool, args] of [
    ["espeak-ng", ["--version"]],
    ["ffmpeg", ["-version"]],
    ["ffprobe", ["-version"]],
  ] as const) {
    try {
      await run(tool, [...args]);
    } catch {
      throw new Error(`${tool} is not installed; the voice-note tests need it: apt-get install -y espeak-ng ffmpeg`);
    }
  }
}

/** The playing time ffprobe reads from a file's container. */
export async function ffprobeDurationSeconds(path: string): Promise<number> {
  const { stdout } = await run("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path]);
  return Number(stdout.trim());
}

/**
 * A valid AMR-NB file of `seconds` length: the "#!AMR\n" magic, then 12.2 kbit/s frames
 * (a header byte with frame type 7 and the quality bit, 31 bytes of parameters each).
 */
export function generatedAmrNb(seconds: number, seed = 1): Buffer {
  const frames = Math.round(seconds / 0.02);
  const body = Buffer.alloc(6 + frames * 32);
  body.write("#!AMR\n", 0, "latin1");
  let state = seed >>> 0 || 1;
  for (let frame = 0; frame < frames; frame += 1) {
    const offset = 6 + frame * 32;
    body[offset] = (7 << 3) | 0x04;
    for (let index = 1; index < 32; index += 1) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0; // a fixed LCG, so every run makes the same file
      body[offset + index] = state >>> 24;
    }
  }
  return body;
}

export interface AudioFixtures {
  /** The directory the files live in until dispose(). */
  dir: string;
  text: string;
  get(kind: AudioFixtureKind): AudioFixture;
  all(): AudioFixture[];
  dispose(): Promise<void>;
}

/** Synthesises `text` with espeak-ng and encodes it into every container (or the ones asked for). */
export async function createAudioFixtures(
  options: { text?: string; kinds?: readonly AudioFixtureKind[] } = {},
): Promise<AudioFixtures> {
  await assertAudioToolsAvailable();
  const text = options.text ?? "buy milk and call mom";
  const kinds = options.kinds ?? AUDIO_FIXTURE_KINDS;
  const dir = await mkdtemp(join(tmpdir(), "sms-todo-audio-"));
  const fixtures = new Map<AudioFixtureKind, AudioFixture>();
  try {
    const speech = join(dir, "speech.wav");
    await run("espeak-ng", ["-v", "en-us", "-s", "150", "-w", speech, text]);

    const add = async (kind: AudioFixtureKind, fileName: string, contentType: string, isSpeech: boolean) => {
      const path = join(dir, fileName);
      fixtures.set(kind, {
        kind,
        contentType,
        fileName,
        body: await readFile(path),
        durationSeconds: await ffprobeDurationSeconds(path),
        speech: isSpeech,
      });
    };

    for (const kind of kinds) {
      if (kind === "wav") {
        await add("wav", "speech.wav", "audio/wav", true);
      } else if (kind === "amr" || kind === "3gp-amr") {
        const amrPath = join(dir, "note.amr");
        await writeFile(amrPath, generatedAmrNb(2.4));
        if (kind === "amr") await add("amr", "note.amr", "audio/amr", false);
        else {
          await run("ffmpeg", [
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-i",
            amrPath,
            "-c:a",
            "copy",
            "-f",
            "3gp",
            join(dir, "note-amr.3gp"),
          ]);
          await add("3gp-amr", "note-amr.3gp", "video/3gpp", false);
        }
      } else {
        const encoding = ENCODINGS[kind];
        await run("ffmpeg", [
          "-nostdin",
          "-v",
          "error",
          "-y",
          "-i",
          speech,
          "-ac",
          "1",
          ...encoding.args,
          join(dir, encoding.file),
        ]);
        await add(kind, encoding.file, encoding.contentType, true);
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    text,
    get(kind) {
      const fixture = fixtures.get(kind);
      if (!fixture) throw new Error(`no ${kind} fixture was made`);
      return fixture;
    },
    all: () => [...fixtures.values()],
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Bytes no decoder accepts, labelled as audio: what a corrupted upload looks like. */
export function undecodableAudio(): Buffer {
  return Buffer.from("OggS this is not a voice note, just text pretending to be one ".repeat(40), "latin1");
}
