package dev.plugai.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Jackson mappers whose parsers and generators reuse their buffers across threads.
 *
 * <p>Jackson's default recycler pool keeps buffers per thread; every request and every stream here runs on a
 * new virtual thread, so each parse or write allocated fresh 8–16 KB buffers, among the top allocation sites
 * under streaming load (and what grew the heap). One shared, lock-free pool serves all.
 */
public final class JsonMappers {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .build();

    private JsonMappers() {
    }

    /** A new mapper with default settings on the shared buffer pool. */
    public static ObjectMapper create() {
        return new ObjectMapper(FACTORY.copy());
    }

    /** A builder on the shared buffer pool, for mappers with settings of their own. */
    public static JsonMapper.Builder builder() {
        return JsonMapper.builder(FACTORY.copy());
    }
}
