// The layout of a node's state volume (mounted at the agent's --state-dir): what the host reads
// there without loading the agent (`mk start` and `mk update-context` read the CA and token).

/** the control plane's API server data dir: store.db, ca.crt, apiserver.crt, token */
export const APISERVER_DIR = 'apiserver';
