package dev.colony.client.internal;

import dev.colony.client.PipeEnd;
import dev.colony.client.PipeSide;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.QueueAckRequest;
import dev.colony.proto.v1.QueueGetRequest;
import dev.colony.proto.v1.QueueGetResponse;
import dev.colony.proto.v1.QueuePutRequest;
import dev.colony.proto.v1.Reply;
import java.io.EOFException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One end of a pipe over two FIFO queues, {@code <name>.a-to-b} and {@code <name>.b-to-a}. Closing
 * an end puts an end-of-stream marker (a payload with codec "eof") on the queue it sends to. A
 * reader that meets the marker puts it back, so every later read sees the end too.
 */
final class PipeEndImpl<T> implements PipeEnd<T> {
  static final String EOF_CODEC = "eof";
  private static final Payload EOF = Payload.newBuilder().setCodec(EOF_CODEC).build();

  private final String name;
  private final PipeSide side;
  private final Calls calls;
  private final Codec<T> codec;
  private final String outgoing; // null: this end may not send
  private final String incoming; // null: this end may not receive
  private volatile boolean closed;

  PipeEndImpl(
      String name, PipeSide side, Calls calls, Codec<T> codec, String outgoing, String incoming) {
    this.name = name;
    this.side = side;
    this.calls = calls;
    this.codec = codec;
    this.outgoing = outgoing;
    this.incoming = incoming;
  }

  /** The queue that carries messages from {@code from} to the other side. */
  static String queueName(String pipe, PipeSide from) {
    return pipe + (from == PipeSide.A ? ".a-to-b" : ".b-to-a");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public PipeSide side() {
    return side;
  }

  @Override
  public void send(T message) {
    Objects.requireNonNull(message, "a pipe does not carry null");
    requireOpen();
    if (outgoing == null) {
      throw new IllegalStateException(
          "side " + side + " of one-way pipe '" + name + "' only receives");
    }
    put(codec.encode(message));
  }

  private void put(Payload payload) {
    ObjectProxy.checked(
        calls.run(
            Call.newBuilder()
                .setQueuePut(
                    QueuePutRequest.newBuilder()
                        .setName(outgoing)
                        .setItem(payload)
                        .setTimeoutMs(0))));
  }

  @Override
  public T recv() throws EOFException, InterruptedException {
    requireReceiving();
    QueueGetResponse got = get(Calls.FOREVER);
    if (isEof(got)) {
      giveBack(got);
      throw new EOFException("the other end of pipe '" + name + "' was closed");
    }
    T value;
    try {
      value = codec.decode(got.getItem());
    } catch (RuntimeException e) {
      giveBack(got); // a reader with the right type can still have it
      throw e;
    }
    // One-way, as a queue's take does: the item reached us.
    calls.oneWay(
        Call.newBuilder()
            .setQueueAck(
                QueueAckRequest.newBuilder()
                    .setName(incoming)
                    .addDeliveryIds(got.getDeliveryId())));
    return value;
  }

  @Override
  public boolean poll(long timeout, TimeUnit unit) throws InterruptedException {
    requireReceiving();
    QueueGetResponse got = get(Calls.toMillis(timeout, unit));
    if (!got.getHasItem()) {
      return false;
    }
    giveBack(got); // poll only looks: the item goes back to the head
    return true;
  }

  private QueueGetResponse get(long timeoutMillis) throws InterruptedException {
    QueueGetRequest.Builder get = QueueGetRequest.newBuilder().setName(incoming).setAutoAck(false);
    if (timeoutMillis != Calls.FOREVER) {
      get.setTimeoutMs(timeoutMillis);
    }
    Reply reply;
    try {
      reply = calls.block(Call.newBuilder().setQueueGet(get), timeoutMillis, "pipe '" + name + "'");
    } catch (InterruptedCall e) {
      if (e.served() != null && e.served().getQueueGet().getHasItem()) {
        giveBack(e.served().getQueueGet()); // it reached us as the interrupt came
      }
      throw e;
    }
    return ObjectProxy.checked(reply).getQueueGet();
  }

  private static boolean isEof(QueueGetResponse got) {
    return got.getHasItem() && EOF_CODEC.equals(got.getItem().getCodec());
  }

  private void giveBack(QueueGetResponse got) {
    ObjectProxy.checked(
        calls.run(
            Call.newBuilder()
                .setQueueAck(
                    QueueAckRequest.newBuilder()
                        .setName(incoming)
                        .addDeliveryIds(got.getDeliveryId())
                        .setRequeue(true))));
  }

  private void requireReceiving() {
    requireOpen();
    if (incoming == null) {
      throw new IllegalStateException(
          "side " + side + " of one-way pipe '" + name + "' only sends");
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("this end of pipe '" + name + "' is closed");
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (outgoing != null) {
      put(EOF);
    }
  }

  @Override
  public String toString() {
    return "PipeEnd[" + name + ", side " + side + (closed ? ", closed" : "") + "]";
  }
}
