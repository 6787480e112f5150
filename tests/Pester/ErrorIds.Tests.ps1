# Issue #13: every bad argument a user can give stops the call before any work, with an error id that names the
# failure (never the generic InvalidArgument or NotSpecified), category InvalidArgument, the value given as its
# target, and no file written.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $env:NEURALSTYLE_MODULE -Force
    $examples = Join-Path $env:NEURALSTYLE_REPO 'examples'
    $inputs = 'cat.jpg', 'starry-night.jpg', 'wood-planks.jpg'
    $base = @{
        'New-NeuralTexture' = @{ Source = 'wood-planks.jpg'; Size = 48; Octaves = 1; Iterations = 1; Seed = 1; OutPath = 'out.png' }
        'New-StyleTransfer' = @{ Content = 'cat.jpg'; Style = 'starry-night.jpg'; MaxSize = 48; Octaves = 1; Iterations = 1; Seed = 1; OutPath = 'out.png' }
        'Get-StylePyramid'  = @{ Path = 'wood-planks.jpg'; Octaves = 1; OutputDirectory = 'levels' }
    }
}

Describe 'Error ids that name the failure' {
    BeforeEach {
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $work
        Copy-Item ($inputs | ForEach-Object { Join-Path $examples $_ }) $work
        Push-Location $work
    }
    AfterEach { Pop-Location }

    It '<Command> <Arguments>: <Id>, target <Target>, nothing written' -ForEach @(
        @{ Command = 'New-NeuralTexture'; Arguments = @{ Model = 'bogus' }; Id = 'UnknownModel'; Target = 'bogus' }
        @{ Command = 'New-StyleTransfer'; Arguments = @{ Model = ' ' }; Id = 'UnknownModel'; Target = ' ' }
        @{ Command = 'New-NeuralTexture'; Arguments = @{ Device = 'Gpu:1' }; Id = 'InvalidDevice'; Target = 'Gpu:1' }
        @{ Command = 'New-StyleTransfer'; Arguments = @{ Device = 'Cuda:x' }; Id = 'InvalidDevice'; Target = 'Cuda:x' }
        @{ Command = 'Get-StylePyramid'; Arguments = @{ Device = 'Gpu' }; Id = 'InvalidDevice'; Target = 'Gpu' }
        @{ Command = 'New-NeuralTexture'; Arguments = @{ StyleLoss = 'SlicedWasserstein'; TileSize = 64 }; Id = 'TileSizeWithSlicedWasserstein'; Target = '64' }
        @{ Command = 'New-NeuralTexture'; Arguments = @{ Init = 'Content' }; Id = 'InitContentWithoutContent'; Target = 'Content' }
        @{ Command = 'New-StyleTransfer'; Arguments = @{ Init = 'Image' }; Id = 'InitImageMissing'; Target = 'Image' }
        @{ Command = 'New-NeuralTexture'; Arguments = @{ SourceWeight = 0 }; Id = 'SourceWeightsAllZero'; Target = '0' }
        @{ Command = 'New-StyleTransfer'; Arguments = @{ StyleWeight = 0 }; Id = 'StyleWeightsAllZero'; Target = '0' }
        @{ Command = 'New-StyleTransfer'; Arguments = @{ ContentWeight = 0; StyleStrength = 0 }; Id = 'ContentAndStyleWeightsZero'; Target = '*Content = 0, Style = 0*' }
        @{ Command = 'New-NeuralTexture'; Arguments = @{ SourceWeight = 1, 2 }; Id = 'SourceWeightCountMismatch'; Target = '1 2' }
        @{ Command = 'New-StyleTransfer'; Arguments = @{ StyleWeight = 1, 2 }; Id = 'StyleWeightCountMismatch'; Target = '1 2' }
        @{ Command = 'New-NeuralTexture'; Arguments = @{ OutPath = 'env:out.png' }; Id = 'NotFileSystemPath'; Target = 'env:out.png' }
        @{ Command = 'New-StyleTransfer'; Arguments = @{ InitImage = 'env:PATH' }; Id = 'NotFileSystemPath'; Target = 'env:PATH' }
    ) {
        $parameters = $base[$Command].Clone()
        foreach ($key in $Arguments.Keys) { $parameters[$key] = $Arguments[$key] }
        $err = { & $Command @parameters } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$($err.TargetObject)" | Should -BeLike $Target
        Get-ChildItem $work -Force -Recurse | ForEach-Object Name | Sort-Object | Should -Be $inputs
    }

    It 'names a bad <Variable> and the variable as the target, for <Command>' -ForEach @(
        @{ Variable = 'NEURALSTYLE_THREADS'; Value = 'many'; Command = 'New-NeuralTexture'; Id = 'InvalidThreadCount' }
        @{ Variable = 'NEURALSTYLE_THREADS'; Value = '0'; Command = 'Get-StyleDevice'; Id = 'InvalidThreadCount' }
        @{ Variable = 'NEURALSTYLE_MODEL_BASEURL'; Value = 'ftp://mirror/'; Command = 'New-StyleTransfer'; Id = 'InvalidModelBaseUrl' }
        @{ Variable = 'NEURALSTYLE_MODEL_BASEURL'; Value = 'ftp://mirror/'; Command = 'Get-StyleModel'; Id = 'InvalidModelBaseUrl' }
    ) {
        $parameters = if ($base.ContainsKey($Command)) { $base[$Command] } else { @{} }
        Set-Item "Env:$Variable" $Value
        try { $err = { & $Command @parameters } | Should -Throw -PassThru }
        finally { Remove-Item "Env:$Variable" }
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be $Variable
        $err.Exception.Message | Should -BeLike "*$Variable*$Value*"
        Get-ChildItem $work -Force -Recurse | ForEach-Object Name | Sort-Object | Should -Be $inputs
    }

    It 'names the device asked for when it is not there (<Command>)' -ForEach @(
        @{ Command = 'New-NeuralTexture' }, @{ Command = 'New-StyleTransfer' }, @{ Command = 'Get-StylePyramid' }
    ) {
        if ((Get-StyleDevice).Name -contains 'Cuda:7') { Set-ItResult -Skipped -Because 'this machine has a GPU 7' }
        $parameters = $base[$Command].Clone()
        $parameters.Device = 'cuda:7'
        $err = { & $Command @parameters } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'DeviceUnavailable,*'
        $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $err.TargetObject | Should -Be 'Cuda:7'
        Get-ChildItem $work -Force -Recurse | ForEach-Object Name | Sort-Object | Should -Be $inputs
    }
}
