package dev.plugai.core.json;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonMappersTest {

    @Test
    void everyMapperSharesOneBufferPoolNotOnePerThread() throws Exception {
        ObjectMapper first = JsonMappers.create();
        ObjectMapper second = JsonMappers.builder().build();

        assertThat(first.getFactory()._getRecyclerPool())
                .isSameAs(JsonRecyclerPools.sharedConcurrentDequePool())
                .isSameAs(second.getFactory()._getRecyclerPool());
        JsonNode read = first.readTree("{\"a\":[1,2]}");
        assertThat(second.writeValueAsString(read)).isEqualTo("{\"a\":[1,2]}");
    }
}
