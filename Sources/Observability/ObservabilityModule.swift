/// Metrics, health/readiness HTTP endpoints (issue 7).
enum ObservabilityModule {}
