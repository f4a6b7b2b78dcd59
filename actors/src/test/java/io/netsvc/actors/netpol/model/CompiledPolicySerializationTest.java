package io.netsvc.actors.netpol.model;

import static io.netsvc.actors.netpol.model.NetpolFixtures.block;
import static io.netsvc.actors.netpol.model.NetpolFixtures.compile;
import static io.netsvc.actors.netpol.model.NetpolFixtures.labels;
import static io.netsvc.actors.netpol.model.NetpolFixtures.policy;
import static io.netsvc.actors.netpol.model.NetpolFixtures.port;
import static io.netsvc.actors.netpol.model.NetpolFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.netsvc.k8s.records.netpol.SelectorInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A CompiledPolicy travels between actors as CBOR: it must come back equal. */
class CompiledPolicySerializationTest {
  @Test
  void roundTripsThroughCbor() throws Exception {
    CompiledPolicy p =
        compile(
            policy(
                "x",
                "p",
                SelectorInfo.ALL,
                List.of("Ingress", "Egress"),
                List.of(
                    rule(
                        List.of(NetpolFixtures.pods(labels("pod", "b"))),
                        port("TCP", "serve-80-tcp"))),
                List.of(rule(List.of(block("10.0.0.0/8", "10.1.0.0/16")), port("UDP", "53")))));
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    CompiledPolicy back = cbor.readValue(cbor.writeValueAsBytes(p), CompiledPolicy.class);
    assertThat(back).isEqualTo(p);
    assertThat(back.ingress().get(0).namedGroups()).isNotEmpty();
  }
}
