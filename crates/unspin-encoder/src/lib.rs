//! A contextual encoder for unspin: a BERT-family transformer (all-MiniLM-L6-v2 by
//! default) run in Rust with `candle`, giving a vector for each word piece of a text and,
//! pooled, for any character range of it.
//!
//! Texts longer than the encoder's window are cut into overlapping windows of word pieces;
//! each piece takes its vector from the window in which it sits furthest from an edge, so
//! every piece is seen with context on both sides where the text has it. Offsets are in
//! Unicode code points of the text given, end exclusive, like every span in unspin.

use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::Tokenizer;
pub use unspin::analyse::context::{ContextEncoder, Encoding};

/// Why an encoder could not be loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum EncoderError {
    /// A file of the encoder could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The configuration is not a BERT configuration.
    #[error("bad encoder configuration: {0}")]
    Config(String),
    /// The tokenizer could not be loaded or failed on a text.
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    /// The network failed (bad weights, shapes).
    #[error("encoder network: {0}")]
    Network(#[from] candle_core::Error),
}

/// Word pieces per window, special tokens included.
pub const WINDOW: usize = 256;
/// Pieces by which consecutive windows advance (the rest overlaps).
pub const STRIDE: usize = 192;
/// Windows run through the network together.
const BATCH: usize = 4;

/// A loaded encoder: tokenizer and network.
pub struct Encoder {
    tokenizer: Tokenizer,
    model: BertModel,
    dim: usize,
    cls: u32,
    sep: u32,
    device: Device,
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder").field("dim", &self.dim).finish()
    }
}

impl Encoder {
    /// Loads an encoder from a folder in the Hugging Face layout (`config.json`,
    /// `tokenizer.json`, `model.safetensors`).
    pub fn from_dir(dir: &Path) -> Result<Self, EncoderError> {
        Self::from_dir_layers(dir, None)
    }

    /// Like [`Encoder::from_dir`], keeping only the first `layers` transformer layers when
    /// given (their output is then the vectors: cheaper, and closer to the words).
    pub fn from_dir_layers(dir: &Path, layers: Option<usize>) -> Result<Self, EncoderError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|source| EncoderError::Read {
                path: path.display().to_string(),
                source,
            })
        };
        let config = read("config.json")?;
        let tokenizer = read("tokenizer.json")?;
        let weights = read("model.safetensors")?;
        Self::from_parts(&config, &tokenizer, &weights, layers)
    }

    /// Loads an encoder from its configuration, tokenizer and safetensors weights, keeping
    /// the first `layers` layers when given.
    pub fn from_parts(
        config: &[u8],
        tokenizer: &[u8],
        weights: &[u8],
        layers: Option<usize>,
    ) -> Result<Self, EncoderError> {
        let mut raw: serde_json::Value =
            serde_json::from_slice(config).map_err(|e| EncoderError::Config(e.to_string()))?;
        if let (Some(n), Some(obj)) = (layers, raw.as_object_mut()) {
            obj.insert("num_hidden_layers".into(), n.into());
        }
        let dim =
            raw.get("hidden_size")
                .and_then(serde_json::Value::as_u64)
                .ok_or_else(|| EncoderError::Config("no hidden_size".into()))? as usize;
        let config: Config =
            serde_json::from_value(raw).map_err(|e| EncoderError::Config(e.to_string()))?;
        let mut tokenizer =
            Tokenizer::from_bytes(tokenizer).map_err(|e| EncoderError::Tokenizer(e.to_string()))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(None)
            .map_err(|e| EncoderError::Tokenizer(e.to_string()))?;
        let id = |t: &str| {
            tokenizer
                .token_to_id(t)
                .ok_or_else(|| EncoderError::Tokenizer(format!("no {t} token in the vocabulary")))
        };
        let cls = id("[CLS]")?;
        let sep = id("[SEP]")?;
        let device = Device::Cpu;
        let vb = VarBuilder::from_buffered_safetensors(weights.to_vec(), DType::F32, &device)?;
        let model = BertModel::load(vb, &config)
            .or_else(|_| {
                let vb =
                    VarBuilder::from_buffered_safetensors(weights.to_vec(), DType::F32, &device)?;
                BertModel::load(vb.pp("bert"), &config)
            })
            .map_err(EncoderError::Network)?;
        Ok(Encoder {
            tokenizer,
            model,
            dim,
            cls,
            sep,
            device,
        })
    }

    /// Width of the vectors.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Encodes `text`: every word piece with its code-point range and its vector.
    pub fn encode(&self, text: &str) -> Result<Encoding, EncoderError> {
        let enc = self
            .tokenizer
            .encode_char_offsets(text, false)
            .map_err(|e| EncoderError::Tokenizer(e.to_string()))?;
        let ids = enc.get_ids();
        let offsets: Vec<(usize, usize)> = enc.get_offsets().to_vec();
        let n = ids.len();
        let d = self.dim;
        let mut vectors = vec![0f32; n * d];
        if n == 0 {
            return Ok(Encoding {
                offsets,
                vectors,
                dim: d,
            });
        }
        let inner = WINDOW - 2;
        let mut starts = vec![0usize];
        while starts.last().is_some_and(|&s| s + inner < n) {
            let s = *starts.last().unwrap_or(&0) + STRIDE;
            starts.push(s.min(n.saturating_sub(inner)));
        }
        starts.dedup();
        // Best window for each piece: the one where it is furthest from an edge.
        let mut best = vec![(0usize, -1isize); n];
        for (w, &s) in starts.iter().enumerate() {
            let e = (s + inner).min(n);
            for (p, b) in best.iter_mut().enumerate().take(e).skip(s) {
                let margin = (p - s).min(e - 1 - p) as isize;
                if margin > b.1 {
                    *b = (w, margin);
                }
            }
        }
        for (chunk_no, chunk) in starts.chunks(BATCH).enumerate() {
            let len = chunk
                .iter()
                .map(|&s| (s + inner).min(n) - s + 2)
                .max()
                .unwrap_or(2);
            let mut input = Vec::with_capacity(chunk.len() * len);
            let mut mask = Vec::with_capacity(chunk.len() * len);
            for &s in chunk {
                let e = (s + inner).min(n);
                input.push(self.cls);
                input.extend_from_slice(&ids[s..e]);
                input.push(self.sep);
                mask.extend(std::iter::repeat_n(1u32, e - s + 2));
                let pad = len - (e - s + 2);
                input.extend(std::iter::repeat_n(0u32, pad));
                mask.extend(std::iter::repeat_n(0u32, pad));
            }
            let b = chunk.len();
            let input = Tensor::from_vec(input, (b, len), &self.device)?;
            let mask = Tensor::from_vec(mask, (b, len), &self.device)?;
            let types = input.zeros_like()?;
            let out = self.model.forward(&input, &types, Some(&mask))?;
            let out: Vec<f32> = out.flatten_all()?.to_vec1()?;
            for (i, &s) in chunk.iter().enumerate() {
                let w = chunk_no * BATCH + i;
                let e = (s + inner).min(n);
                for p in s..e {
                    if best[p].0 == w {
                        let row = (i * len + 1 + p - s) * d;
                        vectors[p * d..(p + 1) * d].copy_from_slice(&out[row..row + d]);
                    }
                }
            }
        }
        Ok(Encoding {
            offsets,
            vectors,
            dim: d,
        })
    }
}

impl ContextEncoder for Encoder {
    fn dim(&self) -> usize {
        self.dim
    }

    fn encode(&self, text: &str) -> Result<Encoding, String> {
        Encoder::encode(self, text).map_err(|e| e.to_string())
    }
}
