#!/usr/bin/env python3
"""Writes a tiny whisper.cpp model file (ggml format) for checking an image without downloading real weights.

    tools/images/whisper-test-model.py OUT.bin

The layout follows whisper.cpp's loader (src/whisper.cpp, whisper_model_load), field by field, little-endian:

    magic "ggml" (uint32 0x67676d6c)
    11 int32 hparams: n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer,
                      n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype
    mel filters: int32 n_mel, int32 n_fft, then n_mel * n_fft float32
    vocabulary: int32 count, then per token uint32 length and its bytes (the loader names the rest of n_vocab itself)
    tensors until the end of the file: int32 n_dims, int32 name length, int32 type, n_dims int32 sizes (ggml order,
                      fastest-varying first), the name, the data

The loader refuses a file whose tensors do not match the names, shapes and types it expects from the hparams, so a
file it accepts exercises the real loading code. The sizes are small (state 64, one head, 4+4 layers: about 7 MB,
most of it the token embedding, which must cover the 51864 token ids of an English-only model because the special
tokens sit at fixed ids). The audio and text contexts keep the real sizes (1500 frames for 30 s, 448 tokens), so the
server's audio handling runs unchanged.

Weights are zero except two entries that make the decoder's answer short and fixed: with every block zero, the final
layer norm outputs its bias whatever the input, so the logits are the token embedding times that bias. The bias is the
first unit vector, the embedding row of end-of-text holds 20 and that of the first timestamp 10. whisper.cpp forbids
end-of-text as the first token, so it picks the timestamp, then end-of-text: an empty transcription after one decoder
pass, on any audio, in milliseconds, instead of a random model babbling up to the token limit at each of its fallback
temperatures (slow under CPU emulation).
"""

import struct
import sys

GGML_FILE_MAGIC = 0x67676D6C
GGML_TYPE_F32 = 0
GGML_TYPE_F16 = 1
FTYPE_MOSTLY_F16 = 1

# English-only vocabulary size (as tiny.en): the loader treats 51865 and more as multilingual and moves the special ids.
N_VOCAB = 51864
TOKEN_EOT = 50256  # end of text in an English-only vocabulary
TOKEN_BEG = 50363  # first timestamp, <|0.00|>

HPARAMS = {
    "n_vocab": N_VOCAB,
    "n_audio_ctx": 1500,
    "n_audio_state": 64,
    "n_audio_head": 1,
    "n_audio_layer": 4,
    "n_text_ctx": 448,
    "n_text_state": 64,
    "n_text_head": 1,
    "n_text_layer": 4,
    "n_mels": 80,
    "ftype": FTYPE_MOSTLY_F16,
}
N_FFT_BINS = 201  # 1 + WHISPER_N_FFT / 2, which the mel spectrogram code asserts

# Printable ASCII, one token per character, then a few words: the loader looks up " " (suppress_blank), and every
# token must be valid UTF-8 because the server puts token text into JSON.
VOCAB = [chr(c) for c in range(32, 127)] + [" todo", " buy", " milk", " call", " mum", " done"]


def tensor_shapes(h):
    """(name, ggml sizes, type) for every tensor whisper_model_load creates, in its order."""
    a, t = h["n_audio_state"], h["n_text_state"]
    wtype = GGML_TYPE_F16  # the big matrices, from ftype
    vtype = GGML_TYPE_F16  # the convolutions: F16 unless ftype is F32
    f32 = GGML_TYPE_F32
    shapes = [
        ("encoder.positional_embedding", [a, h["n_audio_ctx"]], f32),
        ("encoder.conv1.weight", [3, h["n_mels"], a], vtype),
        ("encoder.conv1.bias", [1, a], f32),
        ("encoder.conv2.weight", [3, a, a], vtype),
        ("encoder.conv2.bias", [1, a], f32),
        ("encoder.ln_post.weight", [a], f32),
        ("encoder.ln_post.bias", [a], f32),
    ]
    for i in range(h["n_audio_layer"]):
        p = f"encoder.blocks.{i}."
        shapes += block(p, "attn", a, wtype, f32) + mlp(p, a, wtype, f32)
    shapes += [
        ("decoder.positional_embedding", [t, h["n_text_ctx"]], f32),
        ("decoder.token_embedding.weight", [t, h["n_vocab"]], wtype),
        ("decoder.ln.weight", [t], f32),
        ("decoder.ln.bias", [t], f32),
    ]
    for i in range(h["n_text_layer"]):
        p = f"decoder.blocks.{i}."
        shapes += block(p, "attn", t, wtype, f32) + block(p, "cross_attn", t, wtype, f32) + mlp(p, t, wtype, f32)
    return shapes


def block(prefix, kind, n, wtype, f32):
    """An attention block: its layer norm, query/key/value/out projections (the key has no bias)."""
    return [
        (f"{prefix}{kind}_ln.weight", [n], f32),
        (f"{prefix}{kind}_ln.bias", [n], f32),
        (f"{prefix}{kind}.query.weight", [n, n], wtype),
        (f"{prefix}{kind}.query.bias", [n], f32),
        (f"{prefix}{kind}.key.weight", [n, n], wtype),
        (f"{prefix}{kind}.value.weight", [n, n], wtype),
        (f"{prefix}{kind}.value.bias", [n], f32),
        (f"{prefix}{kind}.out.weight", [n, n], wtype),
        (f"{prefix}{kind}.out.bias", [n], f32),
    ]


def mlp(prefix, n, wtype, f32):
    return [
        (f"{prefix}mlp_ln.weight", [n], f32),
        (f"{prefix}mlp_ln.bias", [n], f32),
        (f"{prefix}mlp.0.weight", [n, 4 * n], wtype),
        (f"{prefix}mlp.0.bias", [4 * n], f32),
        (f"{prefix}mlp.2.weight", [4 * n, n], wtype),
        (f"{prefix}mlp.2.bias", [n], f32),
    ]


def tensor_data(name, sizes, ggml_type, h):
    count = 1
    for size in sizes:
        count *= size
    width = 4 if ggml_type == GGML_TYPE_F32 else 2
    data = bytearray(count * width)
    fmt = "<f" if ggml_type == GGML_TYPE_F32 else "<e"
    if name == "decoder.ln.bias":
        struct.pack_into(fmt, data, 0, 1.0)
    elif name == "decoder.token_embedding.weight":
        # Row r starts at element r * n_text_state; only its first element meets the bias above.
        struct.pack_into(fmt, data, TOKEN_EOT * h["n_text_state"] * width, 20.0)
        struct.pack_into(fmt, data, TOKEN_BEG * h["n_text_state"] * width, 10.0)
    return bytes(data)


def write_model(out):
    h = HPARAMS
    out.write(struct.pack("<I", GGML_FILE_MAGIC))
    for key in HPARAMS:
        out.write(struct.pack("<i", h[key]))
    out.write(struct.pack("<ii", h["n_mels"], N_FFT_BINS))
    out.write(bytes(4 * h["n_mels"] * N_FFT_BINS))
    out.write(struct.pack("<i", len(VOCAB)))
    for word in VOCAB:
        encoded = word.encode("utf-8")
        out.write(struct.pack("<I", len(encoded)))
        out.write(encoded)
    for name, sizes, ggml_type in tensor_shapes(h):
        encoded = name.encode("ascii")
        out.write(struct.pack("<iii", len(sizes), len(encoded), ggml_type))
        out.write(struct.pack(f"<{len(sizes)}i", *sizes))
        out.write(encoded)
        out.write(tensor_data(name, sizes, ggml_type, h))


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 64
    with open(argv[1], "wb") as out:
        write_model(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
