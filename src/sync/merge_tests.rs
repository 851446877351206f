//! Tests of the three-way merge.

use super::*;
