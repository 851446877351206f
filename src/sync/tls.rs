//! (being written: see /work/notes/parts)
