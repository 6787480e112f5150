BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $env:NEURALSTYLE_MODULE -Force
    $examples = Join-Path $env:NEURALSTYLE_REPO 'examples'
    # Tiny and quick: 64 px, two octaves (the smallest level keeps the network's 32 px), a few steps.
    $quick = @{ Size = 64; Octaves = 2; Iterations = 4; Seed = 3 }
}

Describe 'New-NeuralTexture' {
    BeforeEach {
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $work
        Copy-Item (Join-Path $examples 'wood-planks.jpg'), (Join-Path $examples 'fabric-morris.jpg') $work
        Push-Location $work
    }
    AfterEach { Pop-Location }

    It 'makes a texture of the requested size next to the source and describes it' {
        $result = New-NeuralTexture -Source wood-planks.jpg -Width 64 -Height 48 -Octaves 1 -Iterations 3 -Seed 5
        $result.PSObject.TypeNames[0] | Should -Be 'NeuralStyle.PowerShell.Results.NeuralTextureInfo'
        $result.Path | Should -Be (Join-Path $work 'wood-planks.texture.png')
        $result.Width, $result.Height | Should -Be 64, 48
        $result.Model | Should -Be 'resnet18'
        $result.Device | Should -Be 'cpu'
        $result.Seed | Should -Be 5
        $result.Steps | Should -Be 3
        $result.FinalLoss | Should -BeGreaterThan 0
        $info = [SixLabors.ImageSharp.Image]::Identify($result.Path)
        $info.Width, $info.Height | Should -Be 64, 48
        Get-ChildItem $work -Force | Where-Object Name -like '*.tmp' | Should -BeNullOrEmpty
    }

    It 'runs coarse to fine: one stage per octave, and the steps add up' {
        $result = New-NeuralTexture -Source wood-planks.jpg @quick -OutPath t.png
        $result.Steps | Should -Be 8
        $result.Octaves | Should -Be 2
        (New-NeuralTexture -Source wood-planks.jpg @quick -OutPath s.png -SingleScale).Steps | Should -Be 4
    }

    It 'gives byte-identical results for the same seed and different ones for another seed' {
        $a = New-NeuralTexture -Source wood-planks.jpg @quick -OutPath a.png
        $b = New-NeuralTexture -Source wood-planks.jpg @quick -OutPath b.png
        $c = New-NeuralTexture -Source wood-planks.jpg @quick -OutPath c.png -Seed 4
        (Get-FileHash $a.Path).Hash | Should -Be (Get-FileHash $b.Path).Hash
        (Get-FileHash $a.Path).Hash | Should -Not -Be (Get-FileHash $c.Path).Hash
    }

    It 'makes one texture per piped file, one joined texture with -Combine, and one from several -Source values' {
        $each = Get-ChildItem *.jpg | New-NeuralTexture @quick -OutputDirectory each
        $each | Should -HaveCount 2
        (Get-ChildItem each).Name | Sort-Object | Should -Be 'fabric-morris.texture.png', 'wood-planks.texture.png'

        $joined = Get-ChildItem *.jpg | New-NeuralTexture @quick -Combine -SourceWeight 2, 1 -OutPath joined.png
        $joined | Should -HaveCount 1
        $joined.Sources | Should -HaveCount 2

        $two = New-NeuralTexture -Source fabric-morris.jpg, wood-planks.jpg @quick
        $two.Path | Should -Be (Join-Path $work 'fabric-morris+1.texture.png')
    }

    It 'computes the style targets once for repeated sources in one pipeline' {
        $verbose = 'wood-planks.jpg', 'wood-planks.jpg' | New-NeuralTexture @quick -OutputDirectory v -Force -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $verbose | Should -Contain "Computed style targets for $(Join-Path $work 'wood-planks.jpg') (2 octaves)."
        $verbose | Should -Contain "Reused cached style targets for $(Join-Path $work 'wood-planks.jpg')."
        ($verbose -match 'Auto picked the bundled resnet18') | Should -Not -BeNullOrEmpty
    }

    It 'writes nothing with -WhatIf' {
        New-NeuralTexture -Source wood-planks.jpg @quick -WhatIf | Should -BeNullOrEmpty
        Get-ChildItem $work | Should -HaveCount 2
    }

    It 'refuses to overwrite without -Force and overwrites with it' {
        $first = New-NeuralTexture -Source wood-planks.jpg @quick
        New-NeuralTexture -Source wood-planks.jpg @quick -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $err[0].TargetObject | Should -Be $first.Path
        (New-NeuralTexture -Source wood-planks.jpg @quick -Force -Seed 9).Seed | Should -Be 9
    }

    It 'reports a bad source without stopping the batch' {
        [IO.File]::WriteAllBytes((Join-Path $work 'broken.jpg'), [byte[]](1..100))
        $out = 'broken.jpg', 'wood-planks.jpg' | New-NeuralTexture @quick -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -HaveCount 1
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].TargetObject | Should -Be (Join-Path $work 'broken.jpg')
    }

    It 'says what minimum a source too small for the octaves needs' {
        $null = Get-StylePyramid wood-planks.jpg -Octaves 4 -OutputDirectory small
        $err = { New-NeuralTexture -LiteralPath small/wood-planks.octave4.png -Size 64 -Octaves 2 -Iterations 1 -ErrorAction Stop } |
            Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike '*32×32*smallest level would be 16×16*at least 32 px*'
    }

    It 'takes the source''s statistics at -SourceScale of its pixel size' {
        # 256 px at 0.2 is 51 px: too small for 2 octaves of 32 px, found before any work.
        $err = { New-NeuralTexture -Source wood-planks.jpg @quick -SourceScale 0.2 -OutPath small.png -ErrorAction Stop } | Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike '*51×51*smallest level would be 26×26*'
        Test-Path small.png | Should -BeFalse

        $verbose = New-NeuralTexture -Source wood-planks.jpg @quick -SourceScale 0.5 -OutPath half.png -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $verbose | Should -Contain "Computed style targets for $(Join-Path $work 'wood-planks.jpg') (2 octaves)."
        $full = New-NeuralTexture -Source wood-planks.jpg @quick -OutPath full.png
        (Get-FileHash half.png).Hash | Should -Not -Be (Get-FileHash $full.Path).Hash
    }

    It 'refuses an absurd size before allocating, with the estimate in the message' {
        $err = { New-NeuralTexture -Source wood-planks.jpg -Size 65536 -Octaves 1 -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $err.Exception.Message | Should -Match 'needs about [\d,.]+ GiB .* only [\d,.]+ GiB are available'
    }

    It 'evaluates block-wise with -TileSize, says so, and gives the whole-image texture' {
        $settings = @{ Source = 'wood-planks.jpg'; Width = 96; Height = 80; Octaves = 2; Iterations = 3; Seed = 2 }
        $whole = New-NeuralTexture @settings -OutPath whole.png -Verbose 4>&1
        $tiled = New-NeuralTexture @settings -OutPath tiled.png -TileSize 64 -Verbose 4>&1
        ($whole | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -match '^96×80: whole-image evaluation, about [\d.,]+ GiB' | Should -Not -BeNullOrEmpty
        ($tiled | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -match '^96×80: block-wise evaluation with 64 px tiles' | Should -Not -BeNullOrEmpty
        # The same gradients up to float rounding: a few L-BFGS steps end within a level or two of each other.
        Get-LargestPixelDifference (Join-Path $work 'whole.png') (Join-Path $work 'tiled.png') | Should -BeLessOrEqual 2
    }

    It 'rejects conflicting parameters when they bind (parameter sets), before any work' {
        # -Size vs -Width/-Height and -OutPath vs -OutputDirectory are separate parameter sets: PowerShell refuses the mix.
        foreach ($conflict in @{ Size = 64; Width = 32 }, @{ Size = 64; Height = 32 }, @{ OutPath = 'a.png'; OutputDirectory = 'out' }) {
            $e = { New-NeuralTexture -Source wood-planks.jpg @conflict -ErrorAction Stop } | Should -Throw -PassThru -Because ($conflict.Keys -join ' with ')
            $e.FullyQualifiedErrorId | Should -Be 'AmbiguousParameterSet,NeuralStyle.PowerShell.Commands.NewNeuralTextureCommand'
        }
        Test-Path out, a.png | Should -Be $false, $false
        { New-NeuralTexture -Source wood-planks.jpg @quick -SourceWeight 1, 2 -ErrorAction Stop } | Should -Throw '*one weight per source*'
    }

    It 'resolves every combination of input, size and output to its own parameter set, from the command line and the pipeline' {
        $sets = (Get-Command New-NeuralTexture).ParameterSets.Name
        $sets | Should -Be @('Path', 'PathSize', 'PathOutPath', 'PathSizeOutPath', 'LiteralPath', 'LiteralPathSize', 'LiteralPathOutPath', 'LiteralPathSizeOutPath')
        (Get-Command New-NeuralTexture).DefaultParameterSet | Should -Be 'Path'
        # Files from Get-ChildItem bind -LiteralPath by property name in whichever set the other parameters pick.
        $t = Get-ChildItem wood-planks.jpg | New-NeuralTexture @quick -OutPath piped.png
        $t.Path | Should -Be (Join-Path $work 'piped.png')
        $t.Width | Should -Be 64
        $w = Get-ChildItem wood-planks.jpg | New-NeuralTexture -Width 48 -Height 32 -Octaves 1 -Iterations 2 -Seed 1 -OutputDirectory sized
        $w.Path | Should -Be (Join-Path $work 'sized/wood-planks.texture.png')
        $w.Width, $w.Height | Should -Be 48, 32
    }

    It 'makes a seamless tile with -Tileable: the wrap-around is like any interior line' {
        # Without the colour term: this is about the wrap, and 25 steps from one seed are chaotic enough that the term's
        # float rounding alone (changed in #16, same value and gradient to 1e-5) moved this seed's row score from 0.9 to 3.6.
        $tile = New-NeuralTexture -Source wood-planks.jpg -Size 64 -Octaves 2 -Iterations 25 -Seed 2 -Tileable -ColorWeight 0 -OutPath tile.png
        $tile.Tileable | Should -BeTrue
        $seams = Get-SeamEnergy $tile.Path
        Get-SeamScore $seams.ColumnSeam $seams.ColumnInterior | Should -BeLessThan 3
        Get-SeamScore $seams.RowSeam $seams.RowInterior | Should -BeLessThan 3
        # The same run without -Tileable has a visible seam where its edges meet: the measure can tell.
        $plain = New-NeuralTexture -Source wood-planks.jpg -Size 64 -Octaves 2 -Iterations 25 -Seed 2 -ColorWeight 0 -OutPath plain.png
        $open = Get-SeamEnergy $plain.Path
        (Get-SeamScore $open.ColumnSeam $open.ColumnInterior) + (Get-SeamScore $open.RowSeam $open.RowInterior) | Should -BeGreaterThan 10
    }

    It 'stops on Ctrl+C within a step and leaves no output' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:NEURALSTYLE_MODULE'; New-NeuralTexture -Source '$work/wood-planks.jpg' -Size 128 -Octaves 1 -Iterations 500 -CheckpointEvery 2 -OutPath '$work/long.png'")
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (Test-Path "$work/long.checkpoint.png") -and -not $async.IsCompleted -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $stopped = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $stopped.Elapsed.TotalSeconds | Should -BeLessThan 5
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $ps.Dispose() }
        Test-Path "$work/long.png" | Should -BeFalse
        Get-ChildItem $work -Force | Where-Object Name -like '*.tmp' | Should -BeNullOrEmpty
        # The last checkpoint is a complete image, written atomically.
        [SixLabors.ImageSharp.Image]::Identify("$work/long.checkpoint.png").Width | Should -Be 128
    }
}
