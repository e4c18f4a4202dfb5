// Keeps the component and the test of the kind asked for (-Dkind=...) and removes the other kinds'.
// An unknown kind removes the generated project, which did not exist before (archetype:generate
// refuses an existing folder), and the <module> line archetype:generate added to a parent POM in the
// folder it ran in, and fails naming the kinds there are.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

def classes = [surrogate: 'ExampleSurrogate', neuron: 'ExampleNeuron', initializer: 'ExampleInitialization',
               distillation: 'ExampleDistillationLoss', threshold: 'ExampleThresholdStrategy',
               activation: 'ExampleActivation']
Path project = Paths.get(request.outputDirectory, request.artifactId)
String kind = request.properties.get('kind')
if (!classes.containsKey(kind)) {
    project.toFile().deleteDir()
    Path parent = Paths.get(request.outputDirectory, 'pom.xml')
    String module = '<module>' + request.artifactId + '</module>'
    if (Files.isRegularFile(parent) && Files.readString(parent).contains(module)) {
        String text = Files.readString(parent)
        Files.writeString(parent, text.replaceFirst('(?m)^[ \t]*' + java.util.regex.Pattern.quote(module) + '[ \t]*\r?\n', ''))
    }
    throw new IllegalArgumentException("unknown kind '" + kind + "': -Dkind= must be one of "
            + classes.keySet().join(', '))
}
String packagePath = request.properties.get('package').replace('.', '/')
classes.each { other, name ->
    if (other != kind) {
        Files.delete(project.resolve('src/main/java/' + packagePath + '/' + name + '.java'))
        Files.delete(project.resolve('src/test/java/' + packagePath + '/' + name + 'Test.java'))
    }
}
