/// Redis cache over hiredis with an in-process LRU fallback (issue 5).
enum CacheModule {}
