"""all-MiniLM-L6-v2 on TensorFlow: one mean-pooled, unit-length vector per text.

The pooling is the one the model was trained with (the mean over real tokens). The model runs as a
graph compiled once (`tf.function` with a fixed signature): eager mode costs several times more per message.
"""

import logging
from pathlib import Path
from typing import List, Sequence

import numpy as np

from clinic.encoder_files import verify_encoder_dir

logger = logging.getLogger(__name__)

MAX_TOKENS = 128
BATCH_SIZE = 64


class SentenceEncoder:
    """Encodes texts with the verified model in `folder`."""

    dimension = 384

    def __init__(self, folder: Path) -> None:
        verify_encoder_dir(folder)
        # Imported here: loading TensorFlow and transformers takes seconds, and only the NLU needs them.
        import tensorflow as tf
        from tokenizers import Tokenizer
        from transformers import TFAutoModel
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        model = TFAutoModel.from_pretrained(str(folder))

        def mean_pooled(ids: "tf.Tensor", mask: "tf.Tensor") -> "tf.Tensor":
            hidden = model(input_ids=ids, attention_mask=mask, token_type_ids=tf.zeros_like(ids)).last_hidden_state
            weights = tf.cast(tf.expand_dims(mask, -1), hidden.dtype)
            summed = tf.reduce_sum(hidden * weights, axis=1)
            return tf.math.l2_normalize(summed / tf.maximum(tf.reduce_sum(weights, axis=1), 1e-9), axis=1)

        signature = [tf.TensorSpec([None, None], tf.int32)] * 2
        self._encode = tf.function(mean_pooled, input_signature=signature)
        # Trace the graph now, while the server starts, not on the first visitor's message (seconds).
        self.encode(["warm up"])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """A (len(texts), 384) array of unit vectors."""
        vectors: List[np.ndarray] = []
        for start in range(0, len(texts), BATCH_SIZE):
            vectors.append(self._encode_batch(texts[start : start + BATCH_SIZE]))
        return np.concatenate(vectors) if vectors else np.zeros((0, self.dimension), np.float32)

    def _encode_batch(self, texts: Sequence[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch([text or "" for text in texts])
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), length), np.int32)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        return self._encode(ids, mask).numpy()
