/**
 * The playing time of a voice note, read from its container headers without decoding
 * (transcribe has no ffmpeg; whisper's sidecar does the decoding). Used to size whisper's
 * audio context to short clips and stored with the transcript. undefined when the format
 * does not say (a WebM from a browser recorder, a damaged file): whisper then uses its
 * full 30 s window, which is slower but never wrong.
 */
export function probeDurationSeconds(audio: Buffer): number | undefined {
  try {
    const seconds = probe(audio);
    return seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
  } catch {
    return undefined;
  }
}

function probe(audio: Buffer): number | undefined {
  if (audio.subarray(0, 4).toString("latin1") === "RIFF" && audio.subarray(8, 12).toString("latin1") === "WAVE")
    return wav(audio);
  if (audio.subarray(0, 9).toString("latin1") === "#!AMR-WB\n") return amr(audio, 9, AMR_WB_FRAME_BYTES);
  if (audio.subarray(0, 6).toString("latin1") === "#!AMR\n") return amr(audio, 6, AMR_NB_FRAME_BYTES);
  if (audio.subarray(4, 8).toString("latin1") === "ftyp") return mp4(audio);
  if (audio.subarray(0, 4).toString("latin1") === "OggS") return ogg(audio);
  if (audio.readUInt32BE(0) === 0x1a45dfa3) return webm(audio);
  if (audio.subarray(0, 3).toString("latin1") === "ID3" || isMp3FrameHeader(audio, 0)) return mp3(audio);
  if (audio.length > 7 && audio[0] === 0xff && ((audio[1] ?? 0) & 0xf6) === 0xf0) return adts(audio);
  return undefined;
}

function wav(audio: Buffer): number | undefined {
  let offset = 12;
  let byteRate = 0;
  while (offset + 8 <= audio.length) {
    const id = audio.subarray(offset, offset + 4).toString("latin1");
    const size = audio.readUInt32LE(offset + 4);
    if (id === "fmt ") byteRate = audio.readUInt32LE(offset + 16);
    if (id === "data") {
      // A streamed WAV may leave the size at 0 or 0xFFFFFFFF: count what is there instead.
      const available = audio.length - offset - 8;
      const dataBytes = size === 0 || size > available ? available : size;
      return byteRate > 0 ? dataBytes / byteRate : undefined;
    }
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

// Bytes per 20 ms frame after the one-byte header, by frame type (RFC 4867 section 5.3).
const AMR_NB_FRAME_BYTES = [12, 13, 15, 17, 19, 20, 26, 31, 5, 0, 0, 0, 0, 0, 0, 0];
const AMR_WB_FRAME_BYTES = [17, 23, 32, 36, 40, 46, 50, 58, 60, 5, 0, 0, 0, 0, 0, 0];

function amr(audio: Buffer, headerBytes: number, frameBytes: readonly number[]): number | undefined {
  let frames = 0;
  for (let offset = headerBytes; offset < audio.length; frames += 1) {
    const frameType = ((audio[offset] ?? 0) >> 3) & 0x0f;
    offset += 1 + (frameBytes[frameType] ?? 0);
  }
  return frames * 0.02;
}

/** MP4, M4A and 3GPP: the movie header's duration over its timescale. */
function mp4(audio: Buffer): number | undefined {
  const moov = findBox(audio, 0, audio.length, "moov");
  if (!moov) return undefined;
  const mvhd = findBox(audio, moov.start, moov.end, "mvhd");
  if (!mvhd) return undefined;
  const version = audio[mvhd.start] ?? 0;
  if (version === 1) {
    const timescale = audio.readUInt32BE(mvhd.start + 20);
    const duration = Number(audio.readBigUInt64BE(mvhd.start + 24));
    return timescale > 0 ? duration / timescale : undefined;
  }
  const timescale = audio.readUInt32BE(mvhd.start + 12);
  const duration = audio.readUInt32BE(mvhd.start + 16);
  return timescale > 0 ? duration / timescale : undefined;
}

function findBox(audio: Buffer, from: number, to: number, type: string): { start: number; end: number } | undefined {
  let offset = from;
  while (offset + 8 <= to) {
    let size = audio.readUInt32BE(offset);
    let header = 8;
    if (size === 1) {
      size = Number(audio.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (size === 0) size = to - offset;
    if (size < header) return undefined;
    if (audio.subarray(offset + 4, offset + 8).toString("latin1") === type) {
      return { start: offset + header, end: Math.min(offset + size, to) };
    }
    offset += size;
  }
  return undefined;
}

/** Ogg Opus (48 kHz granules minus the pre-skip) and Ogg Vorbis (granules at the stream's rate). */
function ogg(audio: Buffer): number | undefined {
  const firstPacket = 27 + (audio[26] ?? 0);
  const head = audio.subarray(firstPacket, firstPacket + 19);
  let rate: number;
  let preSkip = 0;
  if (head.subarray(0, 8).toString("latin1") === "OpusHead") {
    rate = 48_000;
    preSkip = head.readUInt16LE(10);
  } else if (head.subarray(1, 7).toString("latin1") === "vorbis") {
    rate = head.readUInt32LE(12);
  } else return undefined;
  const last = audio.lastIndexOf("OggS", audio.length - 27, "latin1");
  if (last < 0 || rate <= 0) return undefined;
  const granule = Number(audio.readBigInt64LE(last + 6));
  return granule > 0 ? (granule - preSkip) / rate : undefined;
}

const ADTS_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/** Raw AAC: 1024 samples per ADTS frame. */
function adts(audio: Buffer): number | undefined {
  let offset = 0;
  let frames = 0;
  let rate = 0;
  while (offset + 7 <= audio.length && audio[offset] === 0xff && ((audio[offset + 1] ?? 0) & 0xf6) === 0xf0) {
    rate = ADTS_RATES[((audio[offset + 2] ?? 0) >> 2) & 0x0f] ?? 0;
    const length = (((audio[offset + 3] ?? 0) & 0x03) << 11) | ((audio[offset + 4] ?? 0) << 3) | ((audio[offset + 5] ?? 0) >> 5);
    if (length < 7) break;
    frames += 1;
    offset += length;
  }
  return rate > 0 ? (frames * 1024) / rate : undefined;
}

const MP3_BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MP3_BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const MP3_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

function isMp3FrameHeader(audio: Buffer, offset: number): boolean {
  return audio[offset] === 0xff && ((audio[offset + 1] ?? 0) & 0xe6) === 0xe2;
}

/** MP3 Layer III: the Xing/Info frame count when the encoder wrote one (LAME does), else size over bitrate. */
function mp3(audio: Buffer): number | undefined {
  let offset = 0;
  if (audio.subarray(0, 3).toString("latin1") === "ID3") {
    const size =
      (((audio[6] ?? 0) & 0x7f) << 21) |
      (((audio[7] ?? 0) & 0x7f) << 14) |
      (((audio[8] ?? 0) & 0x7f) << 7) |
      ((audio[9] ?? 0) & 0x7f);
    offset = 10 + size;
  }
  while (offset + 4 <= audio.length && !isMp3FrameHeader(audio, offset)) offset += 1;
  if (offset + 4 > audio.length) return undefined;
  const version = ((audio[offset + 1] ?? 0) >> 3) & 0x03; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
  const bitrateIndex = ((audio[offset + 2] ?? 0) >> 4) & 0x0f;
  const rate = MP3_RATES[version]?.[((audio[offset + 2] ?? 0) >> 2) & 0x03];
  const mono = (audio[offset + 3] ?? 0) >> 6 === 3;
  if (!rate) return undefined;
  const samplesPerFrame = version === 3 ? 1152 : 576;
  const sideInfo = version === 3 ? (mono ? 17 : 32) : mono ? 9 : 17;
  const tag = audio.subarray(offset + 4 + sideInfo, offset + 8 + sideInfo).toString("latin1");
  if (tag === "Xing" || tag === "Info") {
    const flags = audio.readUInt32BE(offset + 8 + sideInfo);
    if (flags & 0x1) return (audio.readUInt32BE(offset + 12 + sideInfo) * samplesPerFrame) / rate;
  }
  const kbps = (version === 3 ? MP3_BITRATES_V1 : MP3_BITRATES_V2)[bitrateIndex];
  return kbps ? ((audio.length - offset) * 8) / (kbps * 1000) : undefined;
}

/** Matroska/WebM: Segment → Info → Duration × TimecodeScale, when the muxer wrote a duration. */
function webm(audio: Buffer): number | undefined {
  const segment = findElement(audio, 0, audio.length, 0x18538067, true);
  if (!segment) return undefined;
  const info = findElement(audio, segment.start, segment.end, 0x1549a966, false);
  if (!info) return undefined;
  const scale = findElement(audio, info.start, info.end, 0x2ad7b1, false);
  const duration = findElement(audio, info.start, info.end, 0x4489, false);
  if (!duration) return undefined;
  const timecodeScale = scale ? readUnsigned(audio, scale.start, scale.end - scale.start) : 1_000_000;
  const ticks = duration.end - duration.start === 4 ? audio.readFloatBE(duration.start) : audio.readDoubleBE(duration.start);
  return (ticks * timecodeScale) / 1e9;
}

function readVint(audio: Buffer, offset: number, keepMarker: boolean): { value: number; length: number } | undefined {
  const first = audio[offset];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  let value = keepMarker ? first : first & (0xff >> length);
  for (let index = 1; index < length; index += 1) value = value * 256 + (audio[offset + index] ?? 0);
  const unknownSize = !keepMarker && value === 2 ** (7 * length) - 1;
  return { value: unknownSize ? Number.POSITIVE_INFINITY : value, length };
}

function readUnsigned(audio: Buffer, offset: number, length: number): number {
  let value = 0;
  for (let index = 0; index < length; index += 1) value = value * 256 + (audio[offset + index] ?? 0);
  return value;
}

/** Finds an element among the children of [from, to); the top level is entered past the EBML header. */
function findElement(
  audio: Buffer,
  from: number,
  to: number,
  id: number,
  topLevel: boolean,
): { start: number; end: number } | undefined {
  let offset = from;
  while (offset < to) {
    const elementId = readVint(audio, offset, true);
    if (!elementId) return undefined;
    const size = readVint(audio, offset + elementId.length, false);
    if (!size) return undefined;
    const start = offset + elementId.length + size.length;
    const end = Math.min(to, start + size.value);
    if (elementId.value === id) return { start, end };
    if (topLevel && size.value === Number.POSITIVE_INFINITY) return undefined;
    offset = end;
  }
  return undefined;
}
