package dev.colony.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CoordinatorMemoryTest {

  @Test
  void usedMib_ofG1HeapInfo_readsTheHeapLine() {
    String g1 =
        """
        12345:
         garbage-first heap   total 397312K, used 17946K [0x0000000687400000, 0x0000000800000000)
          region size 4096K, 4 young (16384K), 0 survivors (0K)
         Metaspace       used 8907K, committed 9088K, reserved 1114112K
          class space    used 1062K, committed 1152K, reserved 1048576K
        """;

    assertEquals(17.5, CoordinatorMemory.usedMib(g1));
  }

  @Test
  void usedMib_ofSerialHeapInfo_addsTheGenerations() {
    String serial =
        """
        12345:
         def new generation   total 4928K, used 1024K [0x00000000f0000000, 0x00000000f0550000)
          eden space 4416K,  23% used [0x00000000f0000000, 0x00000000f0450000)
         tenured generation   total 10944K, used 2048K [0x00000000f0550000, 0x00000000f1000000)
         Metaspace       used 8907K, committed 9088K, reserved 1114112K
        """;

    assertEquals(3.0, CoordinatorMemory.usedMib(serial));
  }

  @Test
  void usedMib_withoutHeapLine_fails() {
    assertThrows(
        IllegalArgumentException.class, () -> CoordinatorMemory.usedMib("12345:\nno such VM\n"));
  }
}
