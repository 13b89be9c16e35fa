package dev.colony.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMembers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaEnumConstant;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No code execution from data, checked on the main classes of every module (this module's test
 * classpath holds them all): Java native serialization and Jackson's polymorphic typing both let
 * the sender of bytes choose which classes the receiver instantiates, which is how deserialization
 * becomes remote code execution. Colony's codecs are protobuf and plain JSON.
 */
class NoCodeFromDataTest {
  private static final List<String> MODULE_PACKAGES =
      List.of(
          "dev.colony.proto",
          "dev.colony.server",
          "dev.colony.client",
          "dev.colony.worker",
          "dev.colony.cli",
          "dev.colony.bench");
  private static final Set<String> DEFAULT_TYPING_METHODS =
      Set.of(
          "activateDefaultTyping",
          "activateDefaultTypingAsProperty",
          "enableDefaultTyping",
          "enableDefaultTypingAsProperty",
          "setDefaultTyping");

  private static final ArchRule NATIVE_SERIALIZATION =
      noClasses()
          .should()
          .dependOnClassesThat()
          .areAssignableTo(ObjectInputStream.class)
          .orShould()
          .dependOnClassesThat()
          .areAssignableTo(ObjectOutputStream.class)
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.beans.XMLDecoder")
          .because(
              "deserializing Java objects from a peer's bytes runs code the peer chooses;"
                  + " encode with protobuf or plain JSON (dev.colony.client.internal.Codecs)");

  private static final ArchRule DEFAULT_TYPING =
      noClasses()
          .should()
          .callMethodWhere(defaultTypingCall())
          .because(
              "default typing lets JSON name the class to instantiate (a gadget chain away from"
                  + " running code); bind JSON to the declared type only");

  private static JavaClasses mainClasses;

  @BeforeAll
  static void importMainClasses() {
    mainClasses =
        new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages(MODULE_PACKAGES);
  }

  @Test
  void theCheck_seesTheMainClassesOfEveryModule() {
    Set<String> seen = new TreeSet<>();
    for (JavaClass c : mainClasses) {
      MODULE_PACKAGES.stream().filter(p -> c.getPackageName().startsWith(p)).forEach(seen::add);
    }
    assertEquals(new TreeSet<>(MODULE_PACKAGES), seen, "modules whose main classes were checked");
  }

  @Test
  void noJavaNativeSerialization() {
    NATIVE_SERIALIZATION.check(mainClasses);
  }

  @Test
  void noJacksonPolymorphicDefaultTyping() {
    DEFAULT_TYPING.check(mainClasses);
  }

  /**
   * The rules find what they ban: ArrayList reads itself from an ObjectInputStream, and
   * ObjectMapper's deprecated enableDefaultTyping calls activateDefaultTyping.
   */
  @Test
  void theRules_catchWhatTheyBan() {
    ClassFileImporter importer = new ClassFileImporter();
    assertThrows(
        AssertionError.class,
        () -> NATIVE_SERIALIZATION.check(importer.importClasses(ArrayList.class)));
    assertThrows(
        AssertionError.class,
        () -> DEFAULT_TYPING.check(importer.importClasses(ObjectMapper.class)));
  }

  @Test
  void noJsonTypeInfoThatNamesClasses() {
    String because = "@JsonTypeInfo(use = CLASS) lets JSON name the class to instantiate";
    noClasses()
        .should()
        .beAnnotatedWith(typeInfoNamingClasses())
        .because(because)
        .check(mainClasses);
    noMembers()
        .should()
        .beAnnotatedWith(typeInfoNamingClasses())
        .because(because)
        .check(mainClasses);
  }

  private static DescribedPredicate<JavaMethodCall> defaultTypingCall() {
    return DescribedPredicate.describe(
        "Jackson's default typing is turned on",
        call ->
            call.getTargetOwner().getPackageName().startsWith("com.fasterxml.jackson")
                && DEFAULT_TYPING_METHODS.contains(call.getName()));
  }

  private static DescribedPredicate<JavaAnnotation<?>> typeInfoNamingClasses() {
    return DescribedPredicate.describe(
        "@JsonTypeInfo(use = CLASS or MINIMAL_CLASS)",
        annotation ->
            annotation.getRawType().isEquivalentTo(JsonTypeInfo.class)
                && annotation
                    .get("use")
                    .map(
                        use ->
                            use instanceof JavaEnumConstant constant
                                && (constant.name().equals("CLASS")
                                    || constant.name().equals("MINIMAL_CLASS")))
                    .orElse(false));
  }
}
