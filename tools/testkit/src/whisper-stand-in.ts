import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import http from "node:http";
import { auditBody } from "./log-audit.js";
import { StandInServer } from "./stand-in.server.js";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One transcription request as the stand-in received it. */
export interface WhisperRequest {
  /** Every multipart field that is not the file, e.g. response_format, temperature, audio_ctx. */
  fields: Record<string, string>;
  file: { name: string; type: string; size: number; sha256: string } | undefined;
  /** Whether ffmpeg could decode the file, as whisper-server's --convert does. */
  decoded: boolean;
  /** Of the decoded audio; 0 when it did not decode. */
  durationSeconds: number;
  status: number;
}

/** What the next requests answer instead of a transcript, for failure tests. */
export type WhisperFailure =
  | { kind: "status"; status: number; body?: string }
  /** Accepts the request and never answers, like a server stuck in inference. */
  | { kind: "hang" }
  /** Closes the connection without an answer. */
  | { kind: "reset" };

export interface WhisperStandInOptions {
  port?: number;
  host?: string;
  /** whisper-server's --inference-path; the OpenAI-compatible one by default. */
  inferencePath?: string;
  /** The transcript when none was programmed for the audio. */
  defaultTranscript?: string;
  /**
   * The answer to audio ffmpeg cannot decode. By default the 400 with a JSON error that
   * whisper-server gives for audio it cannot read; whisper-server 1.7 answered such
   * errors with status 200 and the same JSON shape, which `{ status: 200, ... }` reproduces.
   */
  undecodable?: { status: number; error: string };
}

/**
 * A local server speaking whisper.cpp's whisper-server protocol: multipart POST of `file`
 * plus optional fields (response_format, temperature, audio_ctx, ...) to the inference path,
 * JSON `{"text": ...}` back, `{"error": ...}` for audio it cannot decode, and GET /health.
 * Each upload is really decoded with ffmpeg (16 kHz mono WAV, as --convert does), so a
 * file phones would send passes and corrupt bytes fail; the transcript itself is the one
 * the test programmed, since no model runs here.
 */
export class WhisperStandIn {
  readonly requests: WhisperRequest[] = [];
  private readonly server: StandInServer;
  private readonly hanging: Set<http.ServerResponse>;
  private readonly events = new EventEmitter();
  private readonly queued: string[] = [];
  private readonly byAudio = new Map<string, string>();
  private readonly failures: WhisperFailure[] = [];
  private failAlways: WhisperFailure | undefined;
  private url = "";

  constructor(private readonly options: WhisperStandInOptions = {}) {
    this.events.setMaxListeners(0);
    const server = http.createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => {
        if (!response.headersSent) json(response, 500, { error: (error as Error).message });
      });
    });
    this.server = new StandInServer(server);
    this.hanging = this.server.hanging;
  }

  /** The origin, e.g. http://127.0.0.1:41234. */
  get origin(): string {
    return this.url;
  }

  /** What to set WHISPER_URL to: the base URL of the OpenAI-compatible API. */
  get whisperUrl(): string {
    return `${this.url}/v1`;
  }

  private get inferencePath(): string {
    return this.options.inferencePath ?? "/v1/audio/transcriptions";
  }

  async start(): Promise<string> {
    this.url = await this.server.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1");
    return this.url;
  }

  async stop(): Promise<void> {
    await this.server.close();
  }

  /** The next transcriptions answer these texts, in order (after any transcript set for specific audio). */
  respondWith(...transcripts: string[]): void {
    this.queued.push(...transcripts);
  }

  /** Requests carrying exactly this audio are answered with `transcript`. */
  setTranscript(audio: Buffer, transcript: string): void {
    this.byAudio.set(sha256(audio), transcript);
  }

  /** The next requests fail as given, in order. */
  failNext(...failures: WhisperFailure[]): void {
    this.failures.push(...failures);
  }

  /** Every request fails as given until `recover()`: whisper is down. */
  failAll(failure: WhisperFailure): void {
    this.failAlways = failure;
  }

  recover(): void {
    this.failAlways = undefined;
    this.failures.length = 0;
  }

  /** Resolves once `count` transcription requests arrived in total. */
  async waitForRequests(count: number, timeoutMs = 10_000): Promise<WhisperRequest[]> {
    if (this.requests.length >= count) return this.requests.slice(0, count);
    return new Promise<WhisperRequest[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off("request", check);
        reject(new Error(`expected ${count} whisper requests, saw ${this.requests.length} within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        if (this.requests.length < count) return;
        clearTimeout(timer);
        this.events.off("request", check);
        resolve(this.requests.slice(0, count));
      };
      this.events.on("request", check);
    });
  }

  private async route(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://stand-in").pathname;
    if (request.method === "GET" && path === "/health") return json(response, 200, { status: "ok" });
    // For `npm run phone` against the local stand-in: what an uploaded file "says".
    const control = /^\/stand-in\/transcripts\/([0-9a-f]{64})$/.exec(path);
    if (request.method === "PUT" && control?.[1]) {
      this.byAudio.set(control[1], (await readBody(request)).toString("utf8"));
      response.writeHead(204).end();
      return;
    }
    if (request.method === "POST" && path === this.inferencePath) return this.transcribe(request, response);
    json(response, 404, { error: "not found" });
  }

  private async transcribe(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const body = await readBody(request);
    const failure = this.failAlways ?? this.failures.shift();
    const record: WhisperRequest = { fields: {}, file: undefined, decoded: false, durationSeconds: 0, status: 0 };
    let form: FormData;
    try {
      form = await new Request("http://stand-in/", {
        method: "POST",
        headers: { "content-type": request.headers["content-type"] ?? "" },
        body,
      }).formData();
    } catch {
      return this.answer(record, response, 400, { error: "no 'file' field in the request" });
    }
    let audio: Buffer | undefined;
    for (const [name, value] of form.entries()) {
      if (typeof value === "string") record.fields[name] = value;
      else if (name === "file") {
        audio = Buffer.from(await value.arrayBuffer());
        record.file = { name: value.name, type: value.type, size: audio.length, sha256: sha256(audio) };
      }
    }

    if (failure?.kind === "hang") {
      this.hanging.add(response);
      this.remember(record);
      return;
    }
    if (failure?.kind === "reset") {
      this.remember(record);
      request.socket.destroy();
      return;
    }
    if (failure?.kind === "status") {
      record.status = failure.status;
      this.remember(record);
      response.writeHead(failure.status, { "content-type": "application/json" });
      response.end(failure.body ?? JSON.stringify({ error: "failed to process audio" }));
      return;
    }
    if (!audio) return this.answer(record, response, 400, { error: "no 'file' field in the request" });

    const decoded = await decodeLikeWhisper(audio);
    if (!decoded.ok) {
      const undecodable = this.options.undecodable ?? { status: 400, error: "failed to read audio data" };
      return this.answer(record, response, undecodable.status, { error: undecodable.error });
    }
    record.decoded = true;
    record.durationSeconds = decoded.durationSeconds;
    const text = this.byAudio.get(sha256(audio)) ?? this.queued.shift() ?? this.options.defaultTranscript ?? "";
    auditBody(text);
    const format = record.fields.response_format ?? "json";
    if (format === "text") {
      record.status = 200;
      this.remember(record);
      response.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      response.end(`${text}\n`);
      return;
    }
    if (format === "verbose_json") {
      return this.answer(record, response, 200, {
        task: "transcribe",
        language: "english",
        duration: decoded.durationSeconds,
        text,
        segments: [{ id: 0, text, start: 0, end: decoded.durationSeconds }],
      });
    }
    return this.answer(record, response, 200, { text });
  }

  private answer(record: WhisperRequest, response: http.ServerResponse, status: number, body: unknown): void {
    record.status = status;
    this.remember(record);
    json(response, status, body);
  }

  private remember(record: WhisperRequest): void {
    this.requests.push(record);
    this.events.emit("request", record);
  }
}

/** ffmpeg to 16 kHz mono 16-bit WAV, as whisper-server --convert runs it; the duration from the result. */
async function decodeLikeWhisper(audio: Buffer): Promise<{ ok: true; durationSeconds: number } | { ok: false }> {
  const dir = await mkdtemp(join(tmpdir(), "whisper-stand-in-"));
  try {
    const input = join(dir, "upload");
    const output = join(dir, "converted.wav");
    await writeFile(input, audio);
    const exitCode = await new Promise<number>((resolve) => {
      execFile(
        "ffmpeg",
        ["-nostdin", "-v", "error", "-i", input, "-y", "-ar", "16000", "-ac", "1", "-c:a", "pcm_s16le", output],
        (error) => resolve(error ? ((error as NodeJS.ErrnoException).code === "ENOENT" ? -1 : 1) : 0),
      );
    });
    // No ffmpeg at all is the server's problem (whisper-server answers 500 then), not the audio's.
    if (exitCode === -1) throw new Error("Failed to execute ffmpeg command.");
    if (exitCode !== 0) return { ok: false };
    const { size } = await stat(output);
    const samples = Math.max(0, size - 44) / 2;
    return samples > 0 ? { ok: true, durationSeconds: samples / 16_000 } : { ok: false };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function json(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

async function readBody(request: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
