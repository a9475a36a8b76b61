"""One small view class per plot; each is fed engine snapshots and only calls setData."""
