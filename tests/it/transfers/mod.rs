//! Transfers through pre-signed URLs against a blob-storage host of the tests' own
//! (`blob_server`), which refuses any request with an `Authorization` header: the runtime's
//! uploads (one Put Blob, blocks each retried on its own), downloads (resumed with `Range`
//! after a dropped connection) and listings (`presigned`); the SDK's typed helpers of Storage,
//! iModels, Mesh Export and Changed Elements against the mock platform (`helpers`); and the
//! populate-an-iModel workflow of `generated-client/examples/populate_imodel.rs` end to end
//! (`workflow`).

mod blob_server;
mod helpers;
mod presigned;
mod workflow;
