/// LLM tier over libcurl (issue 5): provider clients, prompt, validation, retries, breaker, budget.
enum LLMModule {}
