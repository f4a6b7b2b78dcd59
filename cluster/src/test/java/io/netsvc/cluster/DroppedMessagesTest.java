package io.netsvc.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.Dropped;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Messages Artery drops because its send queue to another system is full are counted on {@code
 * /metrics}: two actor systems over real Artery, the sender's queue made tiny, a burst to the
 * other.
 */
class DroppedMessagesTest {
  private static final Pattern DROPPED =
      Pattern.compile("(?m)^netsvc_messages_dropped_total ([0-9.E]+)$");

  private static Config remote(int queue) {
    return ConfigFactory.parseString(
            """
            pekko.actor.provider = remote
            pekko.remote.artery.canonical.hostname = "127.0.0.1"
            pekko.remote.artery.canonical.port = 0
            pekko.remote.artery.advanced.outbound-message-queue-size = %d
            """
                .formatted(queue))
        .withFallback(ConfigFactory.load());
  }

  private final ActorTestKit sender = ActorTestKit.create("DroppedMessagesTest", remote(8));
  private final ActorTestKit receiver = ActorTestKit.create("DroppedMessagesTest", remote(3072));

  @AfterEach
  void stop() {
    sender.shutdownTestKit();
    receiver.shutdownTestKit();
  }

  private static double dropped(PrometheusMeterRegistry registry) {
    Matcher m = DROPPED.matcher(registry.scrape());
    assertThat(m.find()).as("the series is scraped").isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void messagesArteryDropsOnAFullSendQueueAreCounted() {
    PrometheusMeterRegistry registry = MemberMetrics.create(sender.system());
    assertThat(dropped(registry)).isZero();

    ActorRef<String> sink = receiver.spawn(Behaviors.ignore(), "sink");
    String path = ActorRefResolver.get(receiver.system()).toSerializationFormat(sink);
    ActorRef<String> remoteSink = ActorRefResolver.get(sender.system()).resolveActorRef(path);
    for (int i = 0; i < 20_000; i++) remoteSink.tell("m" + i);

    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> dropped(registry) > 0);
  }

  @Test
  void aDropWithoutARecipientIsCountedAndTheCounterKeepsCounting() {
    PrometheusMeterRegistry registry = MemberMetrics.create(sender.system());
    // Pekko publishes some drops without a recipient; the counter once stopped at the first. It
    // subscribes asynchronously, so drops are published until two are counted: a counter that
    // stopped at the first would stay at one.
    org.apache.pekko.actor.ActorRef nobody = org.apache.pekko.actor.ActorRef.noSender();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              sender
                  .system()
                  .eventStream()
                  .tell(new EventStream.Publish<>(new Dropped("m", "test", nobody, null)));
              return dropped(registry) >= 2;
            });
  }
}
