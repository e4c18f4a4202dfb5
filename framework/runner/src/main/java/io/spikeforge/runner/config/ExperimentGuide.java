package io.spikeforge.runner.config;

/**
 * The hand-written parts of {@code docs/experiments.md}; {@link ExperimentDocs} puts the generated
 * reference in place of the marker at the end. Kept in code so that the docs' golden test covers the
 * whole file.
 */
final class ExperimentGuide {
    /** Markdown with the reference marker; code blocks after a "checked" comment are loaded by tests. */
    static final String TEMPLATE = """
            <!--
              Generated file: do not edit. The text comes from io.spikeforge.runner.config.ExperimentGuide
              and the reference tables from the schema in io.spikeforge.runner.config.ExperimentSchema
              (framework/runner). After changing either, regenerate with:
                mvn -B -o -pl framework/runner -am verify -Dtest=ExperimentDocsTest -Dsurefire.failIfNoSpecifiedTests=false -Dspikeforge.updateDocs=true
            -->
            # Experiment files

            An experiment is one YAML file: what kind of experiment it is, which data, which models, which
            plugin components (neuron model, surrogate gradient, initialization, distillation loss), how to
            train, and where to record the results. Everything that is not written takes its default; the
            fully resolved configuration, with every default written out, is itself a valid experiment file.

            ## Kinds

            The top-level `kind` says what the experiment does, and so which other keys it has. Each kind is
            a sequence of phases that share one run folder, its checkpoints and `--resume`, MLflow tracking,
            the progress display and the run's end status:

            | Kind | Phases | Models (in metrics, checkpoints, files) |
            |---|---|---|
            | `distill` (the default) | train the ANN teacher, or load and evaluate it (`teacher.weights`); initialize the student from it (`initialization`); train the student with the `distillation` loss from the frozen teacher | `teacher`, `student` |
            | `train` | train one model, ANN or spiking, with cross-entropy, from random weights or from `weights` | `model` |
            | `convert` | train the ANN, or load and evaluate it (`weights`); convert it into a spiking network (fold BatchNorm, IF neurons, thresholds from calibration batches by the `conversion.thresholds` strategy); evaluate it at each `conversion.time_steps` in one pass; analyse its errors ([conversion](conversion.md)) | `ann`, `snn` |

            A file without `kind` is a `distill` experiment, as every file written before kinds existed. A
            key of another kind is an error that names both kinds (`teacher: is not a key of kind train but of
            kind distill`), and an unknown kind lists the kinds.

            ## File structure

            The top level of a `distill` experiment has these sections, in this order (any order is accepted):

            | Section | What it holds |
            |---|---|
            | `kind` | `distill`, the default |
            | `experiment` | name, seed and description of the run |
            | `dataset` | the data set, where its files are, augmentation and normalization |
            | `teacher` | the ANN teacher: its model, optional pretrained weights, and its own `training` block |
            | `student` | the student model (spiking or ANN) |
            | `neuron`, `surrogate`, `initialization`, `distillation` | component slots filled by plugins |
            | `training` | how the student is trained: epochs, batch size, optimizer, learning-rate schedule |
            | `tracking` | MLflow tracking |
            | `outputs` | where run folders and checkpoints go |

            A `train` experiment has `kind: train`, the same `experiment`, `dataset`, `training`, `tracking`
            and `outputs`, and in place of the teacher and student one `model` (its `architecture` and `depth`
            are required), optional initial `weights`, and the `neuron` and `surrogate` slots (used by a
            spiking model):

            ```yaml
            kind: train
            experiment:
              name: baseline
            dataset:
              name: synthetic
              path: data/synthetic-10
            model:
              architecture: spiking-resnet
              depth: 8
              widths: [8, 16, 32]
            ```

            A `convert` experiment has `kind: convert`, the same `experiment`, `dataset`, `training`, `tracking`
            and `outputs`, one ANN `model` (`resnet`, or `vgg` with `pooling: average`), optional `weights` (when
            set the ANN is loaded, not trained) and a `conversion` section: the `thresholds` slot (a threshold
            strategy plugin), `granularity`, `initial_membrane`, `placement`, `calibration_batches`,
            `calibration_time_steps`, `time_steps` and `analysis` ([conversion](conversion.md) explains each):

            ```yaml
            kind: convert
            experiment:
              name: conversion
            dataset:
              name: synthetic
              path: data/synthetic-10
            model:
              architecture: resnet
              depth: 20
            conversion:
              thresholds: {id: percentile, p: 99.9}
              time_steps: [1, 2, 4, 8, 16, 32, 64]
            ```

            A model is a CIFAR-style ResNet (`resnet`, `spiking-resnet`: `depth`, `widths`, `blocks_per_stage`)
            or VGG with batch normalization (`vgg`, `spiking-vgg`: `depth` 11 or 16, `pooling` `max` or
            `average`); a spiking one also takes `timesteps` and `batch_norm` (and a spiking ResNet `block`), an
            ANN the `activation` slot (see below).

            In a `distill` experiment only `experiment.name`, `dataset.name` and `dataset.path` are required (`dataset.path` not for
            `fashion-mnist`, which is read from Debian's package folder by default; see [data](data.md)).
            This is a complete experiment:

            ```yaml
            experiment:
              name: quickstart
            dataset:
              name: synthetic
              path: data/synthetic-10
            ```

            Files are read as plain YAML only: no custom tags, no merge keys (`<<`), and a key written twice in
            one mapping is an error. Anchors and aliases (`&name`, `*name`) may be used to share a block, within
            limits that keep a mistaken or hostile file from exhausting memory: an alias may not stand inside the
            block it refers to, at most 10 aliases may refer to mappings or lists, mappings and lists nest at most
            50 levels deep, and a file is read up to 1 MiB. Each is reported at its line like any other problem.

            ## A complete example: IDSNN on CIFAR-10

            The settings of IDSNN (Fan et al., 2023): a ResNet-34 teacher, a spiking ResNet-18 student with
            T = 4 time steps, LIF neurons with a rectangular surrogate gradient, initialization from the teacher
            by loop interpolation, and Hinton knowledge distillation; SGD with learning rate 0.05, momentum 0.9,
            weight decay 1e-4, batch 64, 200 epochs, learning rate divided by 10 at epochs 60, 120 and 160.

            <!-- checked: complete-example -->
            ```yaml
            experiment:
              name: idsnn-cifar10
              seed: 42
              description: IDSNN, spiking ResNet-18 (T=4) from a ResNet-34 teacher
            dataset:
              name: cifar10
              path: data/cifar-10-batches-bin
              augment:
                random_crop_padding: 4
                horizontal_flip: true
              normalize: true
            teacher:
              model:
                architecture: resnet
                depth: 34
                widths: [64, 128, 256, 512]
              training:
                epochs: 200
                batch_size: 64
                optimizer: {name: sgd, lr: 0.05, momentum: 0.9, weight_decay: 1.0e-4}
                schedule: {name: multistep, milestones: [60, 120, 160], gamma: 0.1}
            student:
              model:
                architecture: spiking-resnet
                depth: 18
                widths: [64, 128, 256, 512]
                block: spiking-basic
                timesteps: 4
                batch_norm: tdbn
            neuron:
              id: lif
              decay: 0.25
              threshold: 0.5
            surrogate:
              id: rectangular
            initialization:
              id: loop-interpolation
            distillation:
              id: hinton-kd
              temperature: 4.0
              weight: 0.3
            training:
              epochs: 200
              batch_size: 64
              optimizer:
                name: sgd
                lr: 0.05
                momentum: 0.9
                weight_decay: 1.0e-4
                nesterov: false
              schedule:
                name: multistep
                milestones: [60, 120, 160]
                gamma: 0.1
            tracking:
              enabled: true
            outputs:
              dir: runs
              checkpoint_every: 1
            ```

            The ablations of the paper change one slot each: `initialization: none` (KD only),
            `distillation: none` (initialization only), both (the cross-entropy baseline). `timesteps: 6` gives
            the T = 6 variant, and `dataset.name: cifar100` with its `path` the CIFAR-100 runs.

            ## Component slots

            `neuron`, `surrogate`, `initialization` and `distillation` are filled by plugin components. A slot
            is a mapping whose `id` selects the component and whose other keys are that component's own
            parameters; parameters that are not written take the component's defaults:

            ```yaml
            neuron:
              id: lif
              decay: 0.25
            ```

            The id alone is a shorthand for a component with default parameters (`surrogate: rectangular`).
            `neuron` and `surrogate` cannot be disabled and default to `{id: lif}` and `{id: rectangular}`; a
            block of theirs without an `id` configures that default component (`neuron: {decay: 0.5}`).
            `initialization` and `distillation` may be disabled with `none` (or null), which is their default.

            An ANN's model section (`model` of a `train` experiment, `teacher.model`, an ANN `student.model`) has
            one more slot, `activation`: a plugin's ANN activation in place of ReLU at every activation site,
            each site with its own instance and its own trainable parameters (trained with the model's
            optimizer, saved in its weights and checkpoints, such as `layer1.0.act1.threshold`). `none`, the
            default, is the built-in ReLU. The bundled `qcfs` plugin trains an ANN for conversion to a
            spiking network:

            ```yaml
            model:
              architecture: resnet
              depth: 20
              activation: {id: qcfs, levels: 4}
            ```

            The ids available are those of the installed plugins. `spikeforge plugins` lists every component
            with its parameters, their types, ranges and defaults. An unknown id, an unknown parameter or a
            parameter out of range is reported at its line, like any other problem. Numbers are finite: `.nan`
            is never accepted, and `.inf` only by a parameter that says so in its type.

            ### The resolved configuration

            `spikeforge config` prints, and every run writes to its `config.yaml`, the resolved experiment: every
            key with the value used, including the values a component derives itself (the `lif` neuron's leak is
            written as `decay: 0.25` when neither `decay` nor `tau` is given, and `tau: 4` as `decay: 0.75`), so
            that an old run means the same after a default changes. Each slot also records the plugin that
            supplied its component and the plugin's version:

            ```yaml
            neuron:
              id: lif
              plugin: lif
              plugin_version: 0.1.0
              decay: 0.25
              tau: null
            ```

            `plugin` and `plugin_version` may stand in any experiment file (`spikeforge run --resume` reads them
            back from the run's `config.yaml`). When another plugin supplies the component now, that is an error
            at `plugin`; when the plugin has another version, a warning at `plugin_version` (the component may
            behave differently). `id`, `plugin` and `plugin_version` are reserved: no component has parameters of
            those names. A `config.yaml` written before these keys existed loads as before, to the same values.

            `spikeforge run --resume` reads a run's `config.yaml` as the Spikeforge that wrote it meant it. Before
            `depth` and `blocks_per_stage` had to agree, a model was built from its blocks whatever its depth said
            (the quickstart of 0.1.0 wrote `depth: 20` with `blocks_per_stage: [1, 1, 1]`, a ResNet-8); such a
            recorded depth is read as the depth of the blocks, the model the run trained, with a warning. As an
            experiment file (`validate`, `config`, `run FILE`) the same text is an error.

            ## Overrides

            Any key can be changed on the command line after the experiment file, in the style of Hydra:

            | Argument | Effect |
            |---|---|
            | `training.optimizer.lr=0.1` | sets a key; the value is read as YAML, so `0.1` is a number |
            | `training.schedule.milestones=[30,60,90]` | lists and mappings use YAML's flow syntax |
            | `experiment.description='T=6 run'` | quote a string that would read as something else (quote it for the shell too) |
            | `dataset.train_limit=5000` | a key absent from the file may be set, if the schema knows it |
            | `~training.epochs` | removes a key, so that its default applies again |
            | `initialization=none` | disables a slot |
            | `neuron.id=if` | selects another component, keeping the slot's other keys |
            | `neuron=if` | selects another component with its default parameters |
            | `neuron.threshold=1.0` | sets a parameter of the slot's component |

            For example:

            ```sh
            spikeforge run experiments/idsnn-cifar10.yaml student.model.timesteps=6 distillation=none
            ```

            Overrides apply in order, after the file is read and before it is validated; a later override of the
            same key wins. A problem caused by an override is reported at the override, not at a line of the
            file: `command-line override 'neuron.decay=2' (argument 3): neuron.decay: expected a number in [0, 1], got the integer 2`.
            Removing a key that is not set is an error, which catches misspelled keys.

            ## Relative paths

            Relative paths — the experiment file itself, `dataset.path`, `teacher.weights` and `outputs.dir` —
            resolve against the current working directory, not against the folder of the experiment file.
            Run `spikeforge` from the project folder, or write absolute paths.

            `validate`, `config` and `run` look at the files these keys name. A path of the wrong kind is an error
            at its key: `dataset.path` a file instead of a folder, a data file in it that is a folder, a
            synthetic set's folder that holds no set but files Spikeforge did not write (such as the real CIFAR
            files, which the run would neither replace nor delete), a `teacher.weights` that is a folder, not a
            `.safetensors` file, or cannot be read, an `outputs.dir` that is a file or lies below one. A data
            folder or file, or a weights file, that does not exist is a warning (`warning: file:line:column: key: ...`, exit
            code unchanged), since it may be put there before the run; if it is still missing then, `run` stops
            before it starts (exit code 7). A synthetic set's folder that does not exist is no warning: `spikeforge
            run` generates the set there on first use.

            ## Errors

            Every problem of a file is reported at once, one line each: file, line and column, the dotted key,
            what is wrong and what is allowed. Misspelled keys and ids get a suggestion. For this file:

            <!-- checked: bad-example -->
            ```yaml
            experiment:
              name: my run
            dataset:
              name: cifar10
              path: data/cifar-10-batches-bin
            student:
              model:
                timesteps: four
            surrogate:
              id: rectangular
              widht: 0.5
            training:
              epochs: 100
              optimizer:
                lrr: 0.1
            ```

            `spikeforge validate experiments/bad.yaml` prints, on standard error, a warning (the data set is
            not there yet) and then the problems, and exits with 3:

            <!-- checked: bad-example-output -->
            ```text
            warning: experiments/bad.yaml:5:3: dataset.path: data/cifar-10-batches-bin does not exist; `spikeforge run` needs it: expected the CIFAR-10 binary version (data_batch_1.bin .. data_batch_5.bin, test_batch.bin), the folder cifar-10-batches-bin extracted from cifar-10-binary.tar.gz; see docs/data.md
            experiments/bad.yaml:2:3: experiment.name: expected a name of letters, digits, '.', '_' or '-', got the string 'my run'
            experiments/bad.yaml:8:5: student.model.timesteps: expected an integer in [1, 64], got the string 'four'
            experiments/bad.yaml:11:3: surrogate.widht: unknown parameter; did you mean 'width'? Allowed: width
            experiments/bad.yaml:13:3: training.epochs: is 100, but the default milestones [60, 120, 160] need more epochs than 160; set training.schedule.milestones too
            experiments/bad.yaml:15:5: training.optimizer.lrr: unknown key; did you mean 'lr'? allowed keys: name, lr, momentum, weight_decay, nesterov
            ```

            A YAML syntax error is reported the same way with the line and column where the parser stopped,
            and a missing or unreadable file with its path.

            ## Reference

            Every key, its type and allowed values, and its default. Keys marked "Only when" belong to one
            choice of a sibling key (for example `every` to `schedule.name: step`); writing them under another
            choice is an error that says which choice they belong to.

            <!-- generated: schema reference -->
            """;

    private ExperimentGuide() {
    }
}
