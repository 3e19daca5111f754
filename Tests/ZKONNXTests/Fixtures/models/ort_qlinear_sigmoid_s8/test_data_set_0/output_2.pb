€BY2J€						




  !!""###$$%%&&''(())**++,,--..//001122233445566778899::;;<<==>>??@@AAABBCCDDEEEFFGGHHHIIIJJKKKLLLMMNNNOOOPPPQQQQRRRSSSSTTTUUUUVVVVWWWWWXXXXXYYYYYZZZZZ[[[[[[\\\\\\\]]