document.documentElement.dataset.iceleakExt = 'loaded';
