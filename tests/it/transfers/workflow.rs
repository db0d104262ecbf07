//! The populate-an-iModel workflow.
