import { mediaTypeEssence, type AudioContentType } from "@sms-todo/rules";

// Every voice-note type needs an extension, so a type added to the rule cannot be forgotten here.
const EXTENSIONS: Record<AudioContentType, string> = {
  "audio/amr": "amr",
  "audio/3gpp": "3gp",
  "video/3gpp": "3gp",
  "audio/mp4": "m4a",
  "audio/aac": "aac",
  "audio/mpeg": "mp3",
  "audio/ogg": "ogg",
  "audio/opus": "opus",
  "audio/wav": "wav",
  "audio/webm": "webm",
};

/** A file name whisper-server's ffmpeg can guess the container from. */
export function fileNameFor(contentType: string): string {
  const extensions: Record<string, string> = EXTENSIONS;
  return `voice-note.${extensions[mediaTypeEssence(contentType)] ?? "bin"}`;
}
