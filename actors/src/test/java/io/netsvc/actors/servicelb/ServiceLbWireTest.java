package io.netsvc.actors.servicelb;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.netsvc.actors.servicelb.model.Conflict;
import io.netsvc.actors.testing.Samples;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message of the ServiceLB actors (and every reply) survives Jackson CBOR, the wire format
 * between members, and comes back equal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceLbWireTest {
  ActorTestKit kit;
  Samples samples;

  @BeforeAll
  void start() {
    kit =
        ActorTestKit.create(
            "ServiceLbWireTest",
            ConfigFactory.parseString(
                """
                pekko.actor.serialization-bindings {
                  "io.netsvc.k8s.records.CborSerializable" = jackson-cbor
                }
                """));
    // a reply-to must be a real actor to be resolved on the other side
    samples = new Samples().with(ActorRef.class, kit.createTestProbe().getRef());
  }

  @AfterAll
  void stop() {
    kit.shutdownTestKit();
  }

  Stream<Class<?>> messages() {
    return Stream.of(
            Samples.leafRecords(ServiceActor.Command.class).stream(),
            Samples.leafRecords(PoolActor.Command.class).stream(),
            Samples.leafRecords(ServiceLbController.Command.class).stream(),
            Stream.<Class<?>>of(
                ServiceActor.Summary.class,
                PoolActor.PoolView.class,
                ServiceLbController.Keys.class,
                Conflict.class))
        .flatMap(s -> s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void survivesTheWire(Class<?> type) {
    Object message = samples.of(type);
    assertThat(message).isNotNull();
    kit.serializationTestKit().verifySerialization(message, true);
  }
}
