BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $env:NEURALSTYLE_MODULE -Force
    $examples = Join-Path $env:NEURALSTYLE_REPO 'examples'
    # 96 px long side, two octaves (the smallest level keeps the network's 32 px), a few steps per scale.
    $quick = @{ MaxSize = 96; Octaves = 2; Iterations = 3; Seed = 1 }
}

Describe 'New-StyleTransfer' {
    BeforeEach {
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $work
        Copy-Item (Join-Path $examples 'cat.jpg'), (Join-Path $examples 'starry-night.jpg') $work
        Copy-Item (Join-Path $examples 'cat.jpg') (Join-Path $work 'cat2.jpg')
        Push-Location $work
    }
    AfterEach { Pop-Location }

    It 'styles a content image into content.style.png and describes it' {
        $r = New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @quick
        $r.PSObject.TypeNames[0] | Should -Be 'NeuralStyle.PowerShell.Results.StyleTransferInfo'
        $r.Path | Should -Be (Join-Path $work 'cat.starry-night.png')
        $r.Width, $r.Height | Should -Be 96, 72
        $r.Steps | Should -Be 3 -Because 'with ResNet-18 a transfer is one stage at the output size'
        (New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @quick -CoarseToFine -OutPath staged.png).Steps | Should -Be 6 -Because '-CoarseToFine: one stage per octave'
        $r.Model | Should -Be 'resnet18'
        $info = [SixLabors.ImageSharp.Image]::Identify($r.Path)
        $info.Width, $info.Height | Should -Be 96, 72
    }

    It 'styles a pipeline of files, reports the bad one and goes on, computing the style once' {
        [IO.File]::WriteAllBytes((Join-Path $work 'bad.jpg'), [byte[]](1..64))
        $records = Get-ChildItem cat.jpg, bad.jpg, cat2.jpg | New-StyleTransfer -Style starry-night.jpg @quick -OutputDirectory out -Verbose -ErrorVariable err -ErrorAction SilentlyContinue 4>&1
        $results = $records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $verbose = $records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $results | Should -HaveCount 2
        (Get-ChildItem out).Name | Sort-Object | Should -Be 'cat.starry-night.png', 'cat2.starry-night.png'
        $err | Should -HaveCount 1
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].TargetObject | Should -Be (Join-Path $work 'bad.jpg')
        # The engine counts its style-target computations: one for the whole batch.
        $verbose | Should -Contain 'Computed style targets (2 octaves); style computations so far: 1.'
        $verbose | Should -Contain 'Reused cached style targets; style computations so far: 1.'
    }

    It 'refuses -OutPath with -OutputDirectory when the parameters bind (parameter sets)' {
        $e = { New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @quick -OutPath b.png -OutputDirectory out -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Be 'AmbiguousParameterSet,NeuralStyle.PowerShell.Commands.NewStyleTransferCommand'
        (Get-Command New-StyleTransfer).ParameterSets.Name | Should -Be @('Path', 'PathOutPath', 'LiteralPath', 'LiteralPathOutPath')
        Test-Path out, b.png | Should -Be $false, $false
    }

    It 'reports the silent phases, a time left at every level, the whole job''s time and each stage''s settings' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($module, $content, $style, $quick)
                    Import-Module $module
                    $DebugPreference = 'Continue'
                    New-StyleTransfer -Content $content -Style $style @quick -CoarseToFine
                }).AddArgument($env:NEURALSTYLE_MODULE).AddArgument((Join-Path $work 'cat.jpg')).AddArgument((Join-Path $work 'starry-night.jpg')).AddArgument($quick)
            $result = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $records = @($ps.Streams.Progress)
            # Reading the content, then the style targets, both before the first step (scale record, ActivityId 2).
            $statuses = @($records | Where-Object ActivityId -eq 2 | ForEach-Object StatusDescription)
            $reading = [array]::IndexOf($statuses, 'Reading the inputs')
            $targets = [array]::IndexOf($statuses, 'Computing the style targets')
            $firstScale = [array]::IndexOf($statuses, ($statuses -like "Scale 1 of 2*")[0])
            $reading | Should -BeGreaterOrEqual 0
            $targets | Should -BeGreaterThan $reading
            $firstScale | Should -BeGreaterThan $targets
            # A time left on the batch (1), the scale (2) and the step (3) records once steps run.
            foreach ($id in 1, 2, 3) {
                @($records | Where-Object { $_.ActivityId -eq $id -and $_.SecondsRemaining -ge 0 -and $_.RecordType -eq 'Processing' }) |
                    Should -Not -BeNullOrEmpty -Because "progress record $id shows a time left"
            }
            $result.Seconds | Should -BeGreaterThan 0
            $result.OptimizationSeconds | Should -BeGreaterThan 0
            $result.Seconds | Should -BeGreaterOrEqual $result.OptimizationSeconds -Because 'the job includes reading, style targets and writing'
            $debug = @($ps.Streams.Debug.Message)
            $debug -match '^Settings: optimizer Lbfgs, style loss Gram, weights content .* seed 1\.$' | Should -HaveCount 1
            $debug -match '^Stage [12] of 2: \d+×\d+ px, 3 step\(s\) of Lbfgs, style octaves' | Should -HaveCount 2
        }
        finally { $ps.Dispose() }
    }

    It 'stops before any work when a style is missing or unreadable' {
        { New-StyleTransfer -Content cat.jpg -Style missing.jpg @quick -ErrorAction Stop } | Should -Throw '*missing.jpg*'
        [IO.File]::WriteAllBytes((Join-Path $work 'broken-style.jpg'), [byte[]](1..64))
        $err = { 'cat.jpg', 'cat2.jpg' | New-StyleTransfer -Style broken-style.jpg @quick -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        Get-ChildItem $work -Filter '*.broken-style.png' | Should -BeNullOrEmpty
    }

    It 'writes nothing with -WhatIf and never overwrites without -Force' {
        New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @quick -WhatIf | Should -BeNullOrEmpty
        Test-Path cat.starry-night.png | Should -BeFalse
        $first = New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @quick
        New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @quick -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $err[0].TargetObject | Should -Be $first.Path
        (New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @quick -Force).Path | Should -Be $first.Path
    }

    It 'evaluates block-wise with -TileSize and gives the whole-image result' {
        $whole = New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @quick -OutputDirectory whole
        $tiled = New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @quick -OutputDirectory tiled -TileSize 64
        Get-LargestPixelDifference $whole.Path $tiled.Path | Should -BeLessOrEqual 2
    }

    It 'is byte-identical for the same seed' {
        $a = New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @quick -OutputDirectory a
        $b = New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @quick -OutputDirectory b
        (Get-FileHash $a.Path).Hash | Should -Be (Get-FileHash $b.Path).Hash
    }

    It 'keeps the content''s colours with -PreserveColor Luminance and Histogram' {
        # The content at about the output's size (octave 3 of 384 px is 96 px).
        $contentColour = Get-MeanColour ((Get-StylePyramid cat.jpg -Octaves 3 -OutputDirectory ref)[2].Path)
        $none = New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @quick -Iterations 10 -OutputDirectory none
        $lum = New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @quick -Iterations 10 -OutputDirectory lum -PreserveColor Luminance
        $hist = New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @quick -Iterations 10 -OutputDirectory hist -PreserveColor Histogram
        $lum.PreserveColor | Should -Be 'Luminance'
        $dNone = Get-ColourDistance (Get-MeanColour $none.Path) $contentColour
        $dLum = Get-ColourDistance (Get-MeanColour $lum.Path) $contentColour
        $dHist = Get-ColourDistance (Get-MeanColour $hist.Path) $contentColour
        $dLum | Should -BeLessThan ($dNone / 2)
        $dHist | Should -BeLessThan $dNone
    }

    It 'keeps the alpha of a transparent content and accepts grayscale content' {
        $img = [SixLabors.ImageSharp.Image[SixLabors.ImageSharp.PixelFormats.Rgba32]]::new(96, 64)
        for ($y = 0; $y -lt 64; $y++) { for ($x = 0; $x -lt 96; $x++) {
            $img[$x, $y] = [SixLabors.ImageSharp.PixelFormats.Rgba32]::new([byte](2 * $x), [byte](3 * $y), [byte]90, [byte]($x -lt 48 ? 0 : 255))
        } }
        [SixLabors.ImageSharp.ImageExtensions]::SaveAsPng($img, (Join-Path $work 'alpha.png'))
        $img.Dispose()
        $r = New-StyleTransfer -Content alpha.png -Style starry-night.jpg @quick
        $out = [SixLabors.ImageSharp.Image]::Load[SixLabors.ImageSharp.PixelFormats.Rgba32]($r.Path)
        try { $out[5, 30].A | Should -Be 0; $out[90, 30].A | Should -Be 255 } finally { $out.Dispose() }

        $gray = [SixLabors.ImageSharp.Image[SixLabors.ImageSharp.PixelFormats.L8]]::new(96, 64)
        [SixLabors.ImageSharp.ImageExtensions]::SaveAsPng($gray, (Join-Path $work 'gray.png'))
        $gray.Dispose()
        (New-StyleTransfer -Content gray.png -Style starry-night.jpg @quick).Width | Should -Be 96
    }

    It 'stops on Ctrl+C within a step and leaves no output' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:NEURALSTYLE_MODULE'; New-StyleTransfer -Content '$work/cat.jpg' -Style '$work/starry-night.jpg' -MaxSize 128 -Octaves 1 -Iterations 500 -CheckpointEvery 2")
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (Test-Path "$work/cat.starry-night.checkpoint.png") -and -not $async.IsCompleted -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $ps.Dispose() }
        Test-Path "$work/cat.starry-night.png" | Should -BeFalse
        Get-ChildItem $work -Force | Where-Object Name -like '*.tmp' | Should -BeNullOrEmpty
    }
}
