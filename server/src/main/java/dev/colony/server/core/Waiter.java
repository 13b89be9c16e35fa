package dev.colony.server.core;

/**
 * A blocked call, parked on an object until the object serves it, its deadline passes or its caller
 * cancels. No coordinator thread waits: the waiter is just this record.
 */
public abstract class Waiter extends Timed {
  protected final CallContext call;
  private boolean parked;

  protected Waiter(CallContext call) {
    this.call = call;
  }

  public CallContext call() {
    return call;
  }

  public Session session() {
    return call.session();
  }

  /** Still waiting: not yet served, timed out or cancelled. */
  public boolean isWaiting() {
    return parked && !call.isDone();
  }

  @Override
  protected final boolean isLive() {
    return isWaiting();
  }

  @Override
  protected final void fire(long now) {
    finish();
    onTimeout(now);
  }

  /**
   * Removes the waiter from its object's waiter list and replies as the operation's contract says
   * for a timeout (e.g. {@code acquired = false}).
   */
  protected abstract void onTimeout(long now);

  /** Removes the waiter from its object's waiter list; the core then replies CANCELLED. */
  protected abstract void onCancel();

  /**
   * The lock or semaphore this waiter is queued to acquire right now, or null if it waits for
   * something else (an item, an event, a signal). The deadlock detector follows it.
   */
  Acquirable acquiring() {
    return null;
  }

  /** The thread of the owner that waits, for {@link #acquiring()} waits. */
  long ownerThread() {
    return 0;
  }

  void park(long deadline, Timers timers) {
    parked = true;
    call.session().pending.put(call.callId(), this);
    timers.schedule(this, deadline);
  }

  /** Detaches the waiter from its session; call before replying to it. */
  public void finish() {
    parked = false;
    call.session().pending.remove(call.callId(), this);
  }

  /** A waiter read from a snapshot: parked, with its deadline (its timer is restored apart). */
  void restoreParked(long deadline) {
    parked = true;
    this.deadline = deadline;
  }

  void cancel(CoreException reason) {
    finish();
    onCancel();
    call.withdraw(reason);
  }
}
