BeforeAll {
    Import-Module $env:NEURALSTYLE_MODULE -Force
    $examples = Join-Path $env:NEURALSTYLE_REPO 'examples'
}

# Pins the exact output bytes of small seeded runs, computed before the engine's redesign (issue #12):
# a refactoring of the objective, the evaluators or the pipeline must not change a single bit. The
# hashes belong to libtorch's CPU kernels: `Hash` on x86-64 with AVX2 only (the AMD Zen 3 hosts), `Avx512` where
# the CPU has AVX-512 and libtorch, oneDNN and MKL pick their AVX-512 kernels (measured on an Intel Xeon with
# AVX-512 and AMX, 2026-12-02; the same bytes before and after that day's changes). A row without an `Avx512`
# hash was not reproducible run to run on that host, so it is skipped there (#16's note says what is known). A change that alters results on purpose updates them here,
# and says why in its commit. The rows name the weights and schedule that were the defaults then (TV 0.05,
# no colour term, transfers content 1 and coarse to fine; issue #15 changed them), so they keep pinning the
# pipeline itself.
Describe 'Seeded runs give the same bytes as before' {
    BeforeAll {
        $work = Join-Path $TestDrive 'pinned'
        $null = New-Item -ItemType Directory $work
        Copy-Item (Join-Path $examples 'wood-planks.jpg'), (Join-Path $examples 'cat.jpg'), (Join-Path $examples 'starry-night.jpg') $work
        $onAvx512 = [System.Runtime.Intrinsics.X86.Avx512F]::IsSupported
    }

    It '<Name>' -ForEach @(
        @{ Name = 'texture, two octaves coarse to fine'; Hash = 'FA8BBB596133B79825C443C213FAC90A63888C1BA8CD5F98F28666B378D78F4F'
           Avx512 = '6F1145E67A67D5D02E85476DC8DE44F599D5CDF524D69B20E5BD94ECFCB2B9D1'
           Run = { New-NeuralTexture -Source "$work/wood-planks.jpg" -Size 64 -Octaves 2 -Iterations 3 -Seed 7 -TvWeight 0.05 -ColorWeight 0 -OutPath "$work/texture.png" } }
        @{ Name = 'texture, tileable, sliced Wasserstein, Adam'; Hash = 'D766A5731C2F50C98F44864D525F0781CD45CB6278F1A2B4EDA5483BDB71263A'
           Avx512 = $null
           Run = { New-NeuralTexture -Source "$work/wood-planks.jpg" -Size 64 -Octaves 2 -Iterations 3 -Seed 7 -Tileable -StyleLoss SlicedWasserstein -Optimizer Adam -TvWeight 0.05 -ColorWeight 0 -OutPath "$work/tile-sw.png" } }
        @{ Name = 'texture, block-wise'; Hash = '83FFCF04732A7E2A5CCD2FD84D1262EC68F7B8F89F725E3DA4D3D01444D9D376'
           Avx512 = 'A90868881DD23F96B5588713E9743492AB72A72BA6AA58CB7771B78331401A97'
           Run = { New-NeuralTexture -Source "$work/wood-planks.jpg" -Width 96 -Height 80 -Octaves 2 -Iterations 2 -Seed 7 -TileSize 64 -TvWeight 0.05 -ColorWeight 0 -OutPath "$work/blockwise.png" } }
        @{ Name = 'style transfer, two octaves'; Hash = '13D7354606CCAC9F51DA5DD3E6F06251E37A5F8ECCC00A5CDEB58CC8E7A72F59'
           Avx512 = '13D7354606CCAC9F51DA5DD3E6F06251E37A5F8ECCC00A5CDEB58CC8E7A72F59'
           Run = { New-StyleTransfer -Content "$work/cat.jpg" -Style "$work/starry-night.jpg" -MaxSize 96 -Octaves 2 -Iterations 3 -Seed 7 -ContentWeight 1 -TvWeight 0.05 -ColorWeight 0 -CoarseToFine -OutputDirectory "$work/transfer" } }
        @{ Name = 'style transfer, block-wise'; Hash = '9F23F60C0241ED56E84131832312AC2371F679D753B55AB5598F9CF61E22D7B1'
           Avx512 = '9F23F60C0241ED56E84131832312AC2371F679D753B55AB5598F9CF61E22D7B1'
           Run = { New-StyleTransfer -Content "$work/cat.jpg" -Style "$work/starry-night.jpg" -MaxSize 96 -Octaves 2 -Iterations 2 -Seed 7 -TileSize 64 -ContentWeight 1 -TvWeight 0.05 -ColorWeight 0 -CoarseToFine -OutputDirectory "$work/transfer-tiled" } }
        @{ Name = 'style transfer, noise start, luminance only'; Hash = '53C5875F1C08719BF985ADA51DE0DB21903C8953D4016BA65ADF1A688E481E30'
           Avx512 = '44C6846CD7FA9D8897812CB07673F7F8B88F891A920ED6DB9CCBE7B833DF7845'
           Run = { New-StyleTransfer -Content "$work/cat.jpg" -Style "$work/starry-night.jpg" -MaxSize 96 -Octaves 2 -Iterations 2 -Seed 7 -Init Noise -PreserveColor Luminance -ContentWeight 1 -TvWeight 0.05 -ColorWeight 0 -CoarseToFine -OutputDirectory "$work/luminance" } }
    ) {
        $expected = $onAvx512 ? $Avx512 : $Hash
        if (-not $expected) {
            Set-ItResult -Skipped -Because 'its bytes varied from run to run on an AVX-512 host (2026-12-02); not yet understood'
            return
        }
        $result = & $Run
        (Get-FileHash -Algorithm SHA256 -LiteralPath $result.Path).Hash | Should -Be $expected
    }
}
